-- CreateTable
CREATE TABLE "StoredFile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "memberId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "keptBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StoredFile_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PendingPart" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "caption" TEXT,
    "languageHint" TEXT,
    "receivedAt" DATETIME NOT NULL,
    "doneAt" DATETIME
);

-- CreateIndex
CREATE INDEX "StoredFile_memberId_idx" ON "StoredFile"("memberId");

-- CreateIndex
CREATE INDEX "StoredFile_keptBy_createdAt_idx" ON "StoredFile"("keptBy", "createdAt");

-- CreateIndex
CREATE INDEX "PendingPart_channel_groupId_idx" ON "PendingPart"("channel", "groupId");

-- CreateIndex
CREATE INDEX "PendingPart_doneAt_idx" ON "PendingPart"("doneAt");

-- CreateIndex
CREATE UNIQUE INDEX "PendingPart_channel_messageId_key" ON "PendingPart"("channel", "messageId");
