-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "birthYear" INTEGER;

-- CreateTable
CREATE TABLE "Course" (
    "id" SERIAL NOT NULL,
    "titleVi" TEXT NOT NULL,
    "titleEn" TEXT,
    "occupation" TEXT NOT NULL,
    "organiser" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "startDate" TEXT NOT NULL,
    "endDate" TEXT NOT NULL,
    "schedule" TEXT NOT NULL,
    "seats" INTEGER NOT NULL,
    "seatsTaken" INTEGER NOT NULL DEFAULT 0,
    "registrationDeadline" TIMESTAMP(3) NOT NULL,
    "eligibilityNotes" TEXT,
    "support" TEXT NOT NULL DEFAULT 'decision46',
    "officerId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "externalKey" TEXT,
    "cancelledAt" TIMESTAMP(3),
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Course_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CourseRegistration" (
    "id" SERIAL NOT NULL,
    "courseId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "waitingSince" TIMESTAMP(3),
    "offerExpiresAt" TIMESTAMP(3),
    "offeredAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "cancelledAt" TIMESTAMP(3),
    "supportGroup" TEXT,
    "supportVnd" INTEGER,
    "attendedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "outcomeAt" TIMESTAMP(3),
    "outcomeSource" TEXT,
    "outcomeChannel" TEXT,
    "outcomeAskedAt" TIMESTAMP(3),
    "officerToldAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CourseRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Course_externalKey_key" ON "Course"("externalKey");

-- CreateIndex
CREATE INDEX "Course_status_startDate_idx" ON "Course"("status", "startDate");

-- CreateIndex
CREATE INDEX "Course_communeCode_idx" ON "Course"("communeCode");

-- CreateIndex
CREATE INDEX "CourseRegistration_courseId_status_waitingSince_idx" ON "CourseRegistration"("courseId", "status", "waitingSince");

-- CreateIndex
CREATE INDEX "CourseRegistration_memberId_idx" ON "CourseRegistration"("memberId");

-- CreateIndex
CREATE INDEX "CourseRegistration_status_offerExpiresAt_idx" ON "CourseRegistration"("status", "offerExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "CourseRegistration_courseId_memberId_key" ON "CourseRegistration"("courseId", "memberId");

-- AddForeignKey
ALTER TABLE "Course" ADD CONSTRAINT "Course_officerId_fkey" FOREIGN KEY ("officerId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseRegistration" ADD CONSTRAINT "CourseRegistration_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseRegistration" ADD CONSTRAINT "CourseRegistration_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
