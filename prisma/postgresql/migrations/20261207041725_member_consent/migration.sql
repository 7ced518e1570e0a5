-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "memberId" TEXT;

-- CreateTable
CREATE TABLE "MemberConsent" (
    "memberId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "givenAt" TIMESTAMP(3),
    "withdrawnAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberConsent_pkey" PRIMARY KEY ("memberId","purpose")
);

-- CreateIndex
CREATE INDEX "Job_memberId_idx" ON "Job"("memberId");

-- AddForeignKey
ALTER TABLE "MemberConsent" ADD CONSTRAINT "MemberConsent_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Data: today's basic consent becomes the "profile" purpose (given, or declined/withdrawn), times kept as they were.
INSERT INTO "MemberConsent" ("memberId", "purpose", "givenAt", "withdrawnAt", "updatedAt")
SELECT "id", 'profile', "consentAt", CASE WHEN "consentAt" IS NULL THEN "optedOutAt" ELSE NULL END,
       COALESCE("consentAt", "optedOutAt")
FROM "Member"
WHERE "consentAt" IS NOT NULL OR "optedOutAt" IS NOT NULL;
