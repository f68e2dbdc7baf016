CREATE TABLE "deck_citations" (
	"deck_id" text NOT NULL,
	"annotation_id" text NOT NULL,
	"slides" jsonb NOT NULL,
	"cited_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deck_citations_deck_id_annotation_id_pk" PRIMARY KEY("deck_id","annotation_id")
);
--> statement-breakpoint
CREATE TABLE "deck_images" (
	"id" text PRIMARY KEY NOT NULL,
	"course_id" text NOT NULL,
	"lecture_id" text NOT NULL,
	"sha256" text NOT NULL,
	"name" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"annotation_id" text,
	"uploaded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deck_images_lecture_sha_unique" UNIQUE("lecture_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "talk_question_votes" (
	"question_id" text NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "talk_question_votes_question_id_user_id_pk" PRIMARY KEY("question_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "talk_questions" (
	"id" text PRIMARY KEY NOT NULL,
	"course_id" text NOT NULL,
	"lecture_id" text NOT NULL,
	"author_id" text,
	"slide_h" integer NOT NULL,
	"slide_v" integer NOT NULL,
	"body" text NOT NULL,
	"answered_at" timestamp with time zone,
	"answered_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "talks" (
	"id" text PRIMARY KEY NOT NULL,
	"course_id" text NOT NULL,
	"lecture_id" text NOT NULL,
	"started_by" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"slide_h" integer DEFAULT 0 NOT NULL,
	"slide_v" integer DEFAULT 0 NOT NULL,
	"fragment" integer DEFAULT -1 NOT NULL,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "talks_lecture_unique" UNIQUE("lecture_id")
);
--> statement-breakpoint
ALTER TABLE "deck_citations" ADD CONSTRAINT "deck_citations_deck_id_decks_id_fk" FOREIGN KEY ("deck_id") REFERENCES "public"."decks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deck_images" ADD CONSTRAINT "deck_images_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deck_images" ADD CONSTRAINT "deck_images_lecture_id_lectures_id_fk" FOREIGN KEY ("lecture_id") REFERENCES "public"."lectures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deck_images" ADD CONSTRAINT "deck_images_sha256_files_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."files"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deck_images" ADD CONSTRAINT "deck_images_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_question_votes" ADD CONSTRAINT "talk_question_votes_question_id_talk_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."talk_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_question_votes" ADD CONSTRAINT "talk_question_votes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_questions" ADD CONSTRAINT "talk_questions_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_questions" ADD CONSTRAINT "talk_questions_lecture_id_lectures_id_fk" FOREIGN KEY ("lecture_id") REFERENCES "public"."lectures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_questions" ADD CONSTRAINT "talk_questions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_questions" ADD CONSTRAINT "talk_questions_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talks" ADD CONSTRAINT "talks_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talks" ADD CONSTRAINT "talks_lecture_id_lectures_id_fk" FOREIGN KEY ("lecture_id") REFERENCES "public"."lectures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talks" ADD CONSTRAINT "talks_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deck_citations_annotation_idx" ON "deck_citations" USING btree ("annotation_id");--> statement-breakpoint
CREATE INDEX "deck_images_annotation_idx" ON "deck_images" USING btree ("lecture_id","annotation_id");--> statement-breakpoint
CREATE INDEX "talk_questions_lecture_idx" ON "talk_questions" USING btree ("lecture_id","created_at");