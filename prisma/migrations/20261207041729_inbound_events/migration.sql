-- CreateTable
CREATE TABLE "InboundEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAt" DATETIME NOT NULL,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "finishedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "InboundEvent_channel_status_userId_idx" ON "InboundEvent"("channel", "status", "userId");

-- CreateIndex
CREATE INDEX "InboundEvent_finishedAt_idx" ON "InboundEvent"("finishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboundEvent_channel_eventKey_key" ON "InboundEvent"("channel", "eventKey");
