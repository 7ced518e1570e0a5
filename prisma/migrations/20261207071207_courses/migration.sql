-- AlterTable
ALTER TABLE "Member" ADD COLUMN "birthYear" INTEGER;

-- CreateTable
CREATE TABLE "Course" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "registrationDeadline" DATETIME NOT NULL,
    "eligibilityNotes" TEXT,
    "support" TEXT NOT NULL DEFAULT 'decision46',
    "officerId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "externalKey" TEXT,
    "cancelledAt" DATETIME,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Course_officerId_fkey" FOREIGN KEY ("officerId") REFERENCES "Member" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CourseRegistration" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "courseId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "waitingSince" DATETIME,
    "offerExpiresAt" DATETIME,
    "offeredAt" DATETIME,
    "cancelReason" TEXT,
    "cancelledAt" DATETIME,
    "supportGroup" TEXT,
    "supportVnd" INTEGER,
    "attendedAt" DATETIME,
    "completedAt" DATETIME,
    "outcome" TEXT,
    "outcomeAt" DATETIME,
    "outcomeSource" TEXT,
    "outcomeChannel" TEXT,
    "outcomeAskedAt" DATETIME,
    "officerToldAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CourseRegistration_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CourseRegistration_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
