CREATE TYPE "public"."critique_kind" AS ENUM('paper', 'presentation');--> statement-breakpoint
CREATE TYPE "public"."critique_reveal" AS ENUM('after_own_or_deadline', 'after_deadline');--> statement-breakpoint
CREATE TABLE "critique_citations" (
	"id" text PRIMARY KEY NOT NULL,
	"critique_id" text NOT NULL,
	"field_key" text NOT NULL,
	"annotation_id" text,
	"paper_id" text,
	"page" integer,
	"slide_h" integer,
	"slide_v" integer
);
--> statement-breakpoint
CREATE TABLE "critique_forms" (
	"course_id" text NOT NULL,
	"kind" "critique_kind" NOT NULL,
	"fields" jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "critique_forms_course_id_kind_pk" PRIMARY KEY("course_id","kind")
);
--> statement-breakpoint
CREATE TABLE "critique_replies" (
	"id" text PRIMARY KEY NOT NULL,
	"critique_id" text NOT NULL,
	"parent_id" text,
	"author_id" text,
	"as_presenters" boolean DEFAULT false NOT NULL,
	"body" text NOT NULL,
	"body_html" text NOT NULL,
	"read_by_critic_at" timestamp with time zone,
	"endorsed_by" text,
	"endorsed_at" timestamp with time zone,
	"hidden_by" text,
	"hidden_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "critique_settings" (
	"course_id" text PRIMARY KEY NOT NULL,
	"reveal" "critique_reveal" DEFAULT 'after_own_or_deadline' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "critique_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"critique_id" text NOT NULL,
	"version" integer NOT NULL,
	"anonymous" boolean NOT NULL,
	"fields" jsonb NOT NULL,
	"answers" jsonb NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"late" boolean NOT NULL,
	CONSTRAINT "critique_versions_number_unique" UNIQUE("critique_id","version")
);
--> statement-breakpoint
CREATE TABLE "critique_votes" (
	"critique_id" text NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "critique_votes_critique_id_user_id_pk" PRIMARY KEY("critique_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "critiques" (
	"id" text PRIMARY KEY NOT NULL,
	"course_id" text NOT NULL,
	"lecture_id" text NOT NULL,
	"paper_id" text,
	"kind" "critique_kind" NOT NULL,
	"author_id" text NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"fields" jsonb NOT NULL,
	"answers" jsonb NOT NULL,
	"answers_html" jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"late" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"endorsed_by" text,
	"endorsed_at" timestamp with time zone,
	"hidden_by" text,
	"hidden_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "critiques_author_unique" UNIQUE("lecture_id","kind","author_id")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"course_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"text" text NOT NULL,
	"url" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "notifications_key_unique" UNIQUE("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "lectures" ADD COLUMN "paper_critique_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lectures" ADD COLUMN "presentation_critique_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "critique_citations" ADD CONSTRAINT "critique_citations_critique_id_critiques_id_fk" FOREIGN KEY ("critique_id") REFERENCES "public"."critiques"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_forms" ADD CONSTRAINT "critique_forms_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_forms" ADD CONSTRAINT "critique_forms_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_replies" ADD CONSTRAINT "critique_replies_critique_id_critiques_id_fk" FOREIGN KEY ("critique_id") REFERENCES "public"."critiques"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_replies" ADD CONSTRAINT "critique_replies_parent_id_critique_replies_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."critique_replies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_replies" ADD CONSTRAINT "critique_replies_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_replies" ADD CONSTRAINT "critique_replies_endorsed_by_users_id_fk" FOREIGN KEY ("endorsed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_replies" ADD CONSTRAINT "critique_replies_hidden_by_users_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_settings" ADD CONSTRAINT "critique_settings_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_versions" ADD CONSTRAINT "critique_versions_critique_id_critiques_id_fk" FOREIGN KEY ("critique_id") REFERENCES "public"."critiques"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_votes" ADD CONSTRAINT "critique_votes_critique_id_critiques_id_fk" FOREIGN KEY ("critique_id") REFERENCES "public"."critiques"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critique_votes" ADD CONSTRAINT "critique_votes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critiques" ADD CONSTRAINT "critiques_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critiques" ADD CONSTRAINT "critiques_lecture_id_lectures_id_fk" FOREIGN KEY ("lecture_id") REFERENCES "public"."lectures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critiques" ADD CONSTRAINT "critiques_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critiques" ADD CONSTRAINT "critiques_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critiques" ADD CONSTRAINT "critiques_endorsed_by_users_id_fk" FOREIGN KEY ("endorsed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "critiques" ADD CONSTRAINT "critiques_hidden_by_users_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "critique_citations_critique_idx" ON "critique_citations" USING btree ("critique_id");--> statement-breakpoint
CREATE INDEX "critique_citations_annotation_idx" ON "critique_citations" USING btree ("annotation_id");--> statement-breakpoint
CREATE INDEX "critique_citations_paper_idx" ON "critique_citations" USING btree ("paper_id");--> statement-breakpoint
CREATE INDEX "critique_replies_critique_idx" ON "critique_replies" USING btree ("critique_id","created_at");--> statement-breakpoint
CREATE INDEX "critiques_course_idx" ON "critiques" USING btree ("course_id","lecture_id");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");