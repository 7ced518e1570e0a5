-- AlterTable
ALTER TABLE "CourseRegistration" ADD COLUMN     "remindedFor" TEXT;
