CREATE TYPE "public"."deck_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TABLE "deck_revisions" (
	"id" text PRIMARY KEY NOT NULL,
	"deck_id" text NOT NULL,
	"number" integer NOT NULL,
	"author_id" text,
	"source" text NOT NULL,
	"base_number" integer,
	"merged" boolean DEFAULT false NOT NULL,
	"restored_from" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deck_revisions_number_unique" UNIQUE("deck_id","number")
);
--> statement-breakpoint
CREATE TABLE "decks" (
	"id" text PRIMARY KEY NOT NULL,
	"course_id" text NOT NULL,
	"lecture_id" text NOT NULL,
	"source" text NOT NULL,
	"theme" text DEFAULT 'white' NOT NULL,
	"status" "deck_status" DEFAULT 'draft' NOT NULL,
	"publish_at" timestamp with time zone,
	"revision" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decks_lecture_unique" UNIQUE("lecture_id")
);
--> statement-breakpoint
ALTER TABLE "deck_revisions" ADD CONSTRAINT "deck_revisions_deck_id_decks_id_fk" FOREIGN KEY ("deck_id") REFERENCES "public"."decks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deck_revisions" ADD CONSTRAINT "deck_revisions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decks" ADD CONSTRAINT "decks_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decks" ADD CONSTRAINT "decks_lecture_id_lectures_id_fk" FOREIGN KEY ("lecture_id") REFERENCES "public"."lectures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decks_course_idx" ON "decks" USING btree ("course_id");