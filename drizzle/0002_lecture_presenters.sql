CREATE TABLE "lecture_presenters" (
	"lecture_id" text NOT NULL,
	"user_id" text NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lecture_presenters_pk" PRIMARY KEY("lecture_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "lecture_presenters" ADD CONSTRAINT "lecture_presenters_lecture_id_lectures_id_fk" FOREIGN KEY ("lecture_id") REFERENCES "public"."lectures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lecture_presenters" ADD CONSTRAINT "lecture_presenters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lecture_presenters_user_idx" ON "lecture_presenters" USING btree ("user_id");