-- CreateTable
CREATE TABLE "rxnorm_drug" (
    "rxcui" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ingredient" TEXT NOT NULL,
    "strength" TEXT,
    "dose_form" TEXT NOT NULL,
    "category" TEXT,
    "dea_schedule" TEXT,
    "quantity_factor" TEXT,

    CONSTRAINT "rxnorm_drug_pkey" PRIMARY KEY ("rxcui")
);

-- CreateTable
CREATE TABLE "drug_class_member" (
    "drug_class" TEXT NOT NULL,
    "ingredient" TEXT NOT NULL,
    "rxcui" TEXT,

    CONSTRAINT "drug_class_member_pkey" PRIMARY KEY ("drug_class","ingredient")
);

-- Hand-written: what the rows are and whose they are.
COMMENT ON TABLE "rxnorm_drug" IS 'RxNorm clinical drugs from data/code-sets/rxnorm-common.csv. RxNorm names and RxCUIs are produced by the National Library of Medicine; NLM is not responsible for this product and does not endorse it.';
COMMENT ON TABLE "drug_class_member" IS 'Drug classes for allergy checks, from data/code-sets/drug-allergy-classes.csv (membership only, no cross-reactivity claim).';
ALTER TABLE "rxnorm_drug" ADD CONSTRAINT "rxnorm_drug_rxcui_check" CHECK ("rxcui" ~ '^[0-9]{1,10}$');
