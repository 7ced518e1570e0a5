-- CreateTable
CREATE TABLE "Listing" (
    "id" SERIAL NOT NULL,
    "memberId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "soldOut" BOOLEAN NOT NULL DEFAULT false,
    "name" TEXT NOT NULL,
    "productGroup" TEXT NOT NULL,
    "producerKind" TEXT NOT NULL,
    "producerRegNo" TEXT,
    "communeCode" TEXT NOT NULL,
    "hamlet" TEXT,
    "description" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "packaging" TEXT,
    "priceVnd" INTEGER NOT NULL,
    "quantity" TEXT,
    "season" TEXT,
    "ocopStars" INTEGER,
    "ocopExpiresOn" TEXT,
    "vietgap" BOOLEAN NOT NULL DEFAULT false,
    "organic" BOOLEAN NOT NULL DEFAULT false,
    "foodSafety" BOOLEAN NOT NULL DEFAULT false,
    "phone" TEXT,
    "publishName" BOOLEAN NOT NULL DEFAULT false,
    "publishCommune" BOOLEAN NOT NULL DEFAULT false,
    "publishPhone" BOOLEAN NOT NULL DEFAULT false,
    "caseId" INTEGER,
    "reviewNote" TEXT,
    "changeFields" JSON,
    "reviewedById" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "approvedAt" TIMESTAMP(3),
    "withdrawnAt" TIMESTAMP(3),
    "ocopFlaggedFor" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Listing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ListingPhoto" (
    "id" SERIAL NOT NULL,
    "listingId" INTEGER NOT NULL,
    "fileId" TEXT NOT NULL,
    "thumbKey" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ListingPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ListingDraft" (
    "memberId" TEXT NOT NULL,
    "answers" JSON NOT NULL,
    "step" TEXT,
    "listingId" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ListingDraft_pkey" PRIMARY KEY ("memberId")
);

-- CreateTable
CREATE TABLE "ListingReport" (
    "id" SERIAL NOT NULL,
    "listingId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT,
    "caseId" INTEGER,
    "reporterKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ListingReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Listing_status_communeCode_productGroup_idx" ON "Listing"("status", "communeCode", "productGroup");

-- CreateIndex
CREATE INDEX "Listing_memberId_idx" ON "Listing"("memberId");

-- CreateIndex
CREATE INDEX "Listing_status_ocopExpiresOn_idx" ON "Listing"("status", "ocopExpiresOn");

-- CreateIndex
CREATE UNIQUE INDEX "ListingPhoto_token_key" ON "ListingPhoto"("token");

-- CreateIndex
CREATE INDEX "ListingPhoto_listingId_position_idx" ON "ListingPhoto"("listingId", "position");

-- CreateIndex
CREATE INDEX "ListingDraft_expiresAt_idx" ON "ListingDraft"("expiresAt");

-- CreateIndex
CREATE INDEX "ListingReport_reporterKey_createdAt_idx" ON "ListingReport"("reporterKey", "createdAt");

-- CreateIndex
CREATE INDEX "ListingReport_listingId_idx" ON "ListingReport"("listingId");

-- AddForeignKey
ALTER TABLE "Listing" ADD CONSTRAINT "Listing_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ListingPhoto" ADD CONSTRAINT "ListingPhoto_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "Listing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ListingDraft" ADD CONSTRAINT "ListingDraft_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ListingReport" ADD CONSTRAINT "ListingReport_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "Listing"("id") ON DELETE CASCADE ON UPDATE CASCADE;
