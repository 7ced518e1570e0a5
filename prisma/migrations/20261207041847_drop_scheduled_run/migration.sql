-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "ScheduledRun";
PRAGMA foreign_keys=on;
