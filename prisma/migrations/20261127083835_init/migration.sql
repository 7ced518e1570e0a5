-- CreateTable
CREATE TABLE "Member" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "displayName" TEXT,
    "language" TEXT NOT NULL DEFAULT 'vi',
    "communeCode" TEXT,
    "phone" TEXT,
    "consentAt" DATETIME,
    "optedOutAt" DATETIME,
    "role" TEXT NOT NULL DEFAULT 'member',
    "unreachableAt" DATETIME,
    "lastInboundAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ConversationState" (
    "memberId" TEXT NOT NULL PRIMARY KEY,
    "flowId" TEXT,
    "data" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ConversationState_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProcessedInbound" (
    "channel" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("channel", "messageId")
);

-- CreateIndex
CREATE INDEX "Member_communeCode_idx" ON "Member"("communeCode");

-- CreateIndex
CREATE UNIQUE INDEX "Member_channel_channelUserId_key" ON "Member"("channel", "channelUserId");

-- CreateIndex
CREATE INDEX "ProcessedInbound_createdAt_idx" ON "ProcessedInbound"("createdAt");
