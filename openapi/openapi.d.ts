/**
 * TypeScript types of the API, generated from openapi/openapi.json by openapi-typescript
 * (`npm run openapi`). Do not edit: a test fails when this file is stale. Used with
 * openapi-fetch (src/vectors/client.ts): a change of the contract that breaks a caller breaks
 * the build.
 */
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["getHealthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database and the queue answer */
        get: operations["getReadyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/cpr-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** CPR HMAC key rotation status: children per key id, and which keys may be retired */
        get: operations["getAdminCprKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys */
        get: operations["getApiKeys"];
        put?: never;
        /** Create an API key (the key is returned once) */
        post: operations["postApiKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an API key */
        get: operations["getApiKeysById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an API key (effective immediately) */
        post: operations["postApiKeysByIdRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The append-only audit log of every change made through the API, in the order recorded */
        get: operations["getAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/awards": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List awards (an institution sees only awards it is part of) */
        get: operations["getAwards"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/awards/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an award with its full explanation (everything needed to redo it by hand) */
        get: operations["getAwardsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/awards/{id}/objections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Objections to an award, oldest first (one page: next_cursor is always null) */
        get: operations["getAwardsByIdObjections"];
        put?: never;
        /** Object to an award: it is held (not finalised) until the objection is resolved */
        post: operations["postAwardsByIdObjections"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/awards/{id}/revisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every computed result of the award, oldest first (one page: next_cursor is always null) */
        get: operations["getAwardsByIdRevisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/awards/finalise": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finalise a fund’s funded, unheld provisional awards now, without waiting for their review windows
         * @description Early finalisation takes away the institutions’ remaining time to object, so it is explicit: the fund is required, `award_ids` and/or `review_until_by` narrow it further, and the reason is kept in the audit log with the key that acted and the ids finalised. Held, unfunded and already final awards are left as they are.
         */
        post: operations["postAwardsFinalise"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bank-statements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Uploaded bank statements, with what each did */
        get: operations["listBankStatements"];
        put?: never;
        /**
         * Reconcile a camt.053 statement or camt.054 debit/credit notification against the payment lines
         * @description The XML document as the body (`application/xml`). Booked debits mark lines paid; returns put the amount back on the institution’s payable and flag the line; everything else is reported, nothing guessed. 201 with the report; the same document again: 200 with the first report and `duplicate: true`, nothing changed.
         */
        post: operations["uploadBankStatement"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bank-statements/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An uploaded bank statement and its report */
        get: operations["getBankStatement"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/children": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List children */
        get: operations["getChildren"];
        put?: never;
        /** Register a child by CPR (birth date derived) or by birth date */
        post: operations["postChildren"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/children/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a child
         * @description An integration key scoped to institutions sees only children with an enrolment at one of them (others: 404).
         */
        get: operations["getChildrenById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update a child (attributes are replaced as a whole; changes re-settle its awards) */
        patch: operations["patchChildrenById"];
        trace?: never;
    };
    "/v1/children/{id}/passport": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A child's passport: enrolments, measurements and awards */
        get: operations["getChildrenByIdPassport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/children/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register many children: a JSON array (≤ 10,000 items) or an NDJSON stream (≤ NDJSON_MAX_ITEMS items and NDJSON_MAX_BODY_BYTES)
         * @description Items: `{external_ref?, cpr?, birth_date?, attributes?}` as for POST /v1/children. A child already registered under the same external reference or CPR is `unchanged` and its id returned. Only CPR HMACs are stored. NDJSON in, NDJSON out, with the same limits, as for /v1/measurements/batch.
         */
        post: operations["postChildrenBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/children/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Find a child by CPR
         * @description An integration key scoped to institutions finds only children with an enrolment at one of them; any other CPR — registered or not — is 404, the same answer.
         */
        post: operations["postChildrenLookup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/enrolments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List enrolments (an institution key: only its own institution) */
        get: operations["getEnrolments"];
        put?: never;
        /** Enrol a child at an institution */
        post: operations["postEnrolments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/enrolments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an enrolment
         * @description An integration key (with the enrolment grant) reads only enrolments at its institutions; others are 404, as an unknown id.
         */
        get: operations["getEnrolmentsById"];
        put?: never;
        post?: never;
        /** Delete an enrolment entered by mistake (audited; re-settles the child’s awards) */
        delete: operations["deleteEnrolmentsById"];
        options?: never;
        head?: never;
        /** Correct an enrolment (re-settles the child’s awards) */
        patch: operations["patchEnrolmentsById"];
        trace?: never;
    };
    "/v1/enrolments/{id}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End an ongoing enrolment */
        post: operations["postEnrolmentsByIdEnd"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/enrolments/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import many enrolments: a JSON array (≤ 10,000 items) or an NDJSON stream (≤ NDJSON_MAX_ITEMS items and NDJSON_MAX_BODY_BYTES)
         * @description Items: `{child_id | child_ref | cpr, institution (id or code), start, end}`. Per-item results; an identical enrolment already stored is `unchanged`, an overlapping one is rejected naming `start`. NDJSON in, NDJSON out, with the same limits, as for /v1/measurements/batch.
         */
        post: operations["postEnrolmentsBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/funds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List funds */
        get: operations["getFunds"];
        put?: never;
        /** Create a fund (and its ledger accounts) */
        post: operations["postFunds"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/funds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a fund */
        get: operations["getFundsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update a fund */
        patch: operations["patchFundsById"];
        trace?: never;
    };
    "/v1/funds/{id}/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The fund’s own bank account */
        get: operations["getFundAccount"];
        /** Set the fund’s own bank account (the debtor of its payment files) */
        put: operations["setFundAccount"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/funds/{id}/balances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Balances of a fund's ledger accounts (payable summed over institutions) */
        get: operations["getFundsByIdBalances"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/funds/{id}/deposits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a fund's deposits */
        get: operations["getFundsByIdDeposits"];
        put?: never;
        /** Deposit money into a fund (funder → available); waiting awards are then funded in order */
        post: operations["postFundsByIdDeposits"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/funds/{id}/forecast": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liability forecast: expected payouts per calendar year with a 90 % interval, per rule and in total, against the holdings
         * @description Every registered child × every award of a rule not yet decided for it, dated by the catalogue's typical measurement age of the last requirement plus the review window, weighted by the earn rate of the rule and group (restgruppe origin or not; Beta prior) and by the share of the windows the child's enrolments attribute (days ahead at the rate past days were attributed). docs/FORECAST.md. CSV with `?format=csv` or `Accept: text/csv`. `scenario`: comma-separated `[rule id:]rate` (0–1, replaces the rate) or `[rule id:]+points` / `-points` (shifts it), e.g. `+5`.
         */
        get: operations["getFundsByIdForecast"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/funds/{id}/payment-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a payment run: every positive payable at the cut-off → paid out, one line per institution */
        post: operations["createPaymentRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institution-kinds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List institution kinds */
        get: operations["getInstitutionKinds"];
        put?: never;
        /** Create an institution kind */
        post: operations["postInstitutionKinds"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List institutions (by code) */
        get: operations["getInstitutions"];
        put?: never;
        /** Register an institution */
        post: operations["postInstitutions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an institution (an institution key: only its own) */
        get: operations["getInstitutionsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update an institution (changes to kind, code, closure or successor re-settle affected awards) */
        patch: operations["patchInstitutionsById"];
        trace?: never;
    };
    "/v1/institutions/{id}/balances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the fund(s) owe an institution (negative: a claw-back to be netted) */
        get: operations["getInstitutionsByIdBalances"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close an institution, optionally naming its successor */
        post: operations["postInstitutionsByIdClose"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions/{id}/payee-details": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An institution’s payee details: the approved version, a pending change, and every version (an institution key: its own) */
        get: operations["getPayeeDetails"];
        put?: never;
        /** Propose new payee details; they take effect when another admin key approves them */
        post: operations["proposePayeeDetails"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions/{id}/pipeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The institution's pipeline: its former children with awards still pending per rule that pays its kind, the bonus if earned, the expected bonus and when */
        get: operations["getInstitutionsByIdPipeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions/{id}/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The rules that pay an institution (a window of one of their versions names its kind), with their versions */
        get: operations["getInstitutionsByIdRules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions/{id}/statement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Statement for a period: opening balance, awards with explanations, adjustments, payments, closing balance
         * @description The institution is named by id or code. The period is [from, to], both inclusive; `to` defaults to today (business date), `from` to 1 January of `to`’s year (the year to date).
         */
        get: operations["getInstitutionsByIdStatement"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/institutions/{id}/statement.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The statement for a period as CSV: opening balance, one row per movement with the running balance, closing balance
         * @description The same figures as GET /v1/institutions/{id}/statement (the institution by id or code; the period defaults to the year to date). Text cells that a spreadsheet would run as a formula are written with a leading apostrophe.
         */
        get: operations["getInstitutionsByIdStatementCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Signed checkpoints of the hash chain, in sequence order
         * @description The sealer signs `{seq, hash, sealed_at, key_id}` (RFC 8785 JSON) with Ed25519 every few seconds while the chain grows. Keep one: `npm run verify-ledger -- export.ndjson --checkpoint cp.json --public-key key.pem` proves that a later export extends it (docs/LEDGER.md).
         */
        get: operations["getLedgerCheckpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/checkpoints/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public keys (SPKI PEM) that checkpoints are signed with, by key id */
        get: operations["getLedgerCheckpointsKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Journal entries with their lines, in sequence order */
        get: operations["getLedgerEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export journal lines as CSV: one row per line with its entry's seq, ids, dates, memo, prev_hash and hash
         * @description Entries up to the chain head at the start of the export, in sequence order, filtered like GET /v1/ledger/entries. Only an unfiltered export (or a sequence range, given the hash before it) is a contiguous chain that can be verified. Headers x-ledger-head-seq / x-ledger-head-hash give the head the export was cut at, x-ledger-unsealed how many entries were appended but not yet sealed then (they are sealed in batches by one sealer at a time, and exported once sealed).
         */
        get: operations["getLedgerExportCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/export.ndjson": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export journal entries as NDJSON: one entry per line with its lines, prev_hash and hash (recompute the chain with `npm run verify-ledger`), plus the award revision it posts — the award's ids, that revision's amounts, `revision`, `computed_at` and explanation (not hashed)
         * @description Entries up to the chain head at the start of the export, in sequence order, filtered like GET /v1/ledger/entries. Only an unfiltered export (or a sequence range, given the hash before it) is a contiguous chain that can be verified. Headers x-ledger-head-seq / x-ledger-head-hash give the head the export was cut at, x-ledger-unsealed how many entries were appended but not yet sealed then (they are sealed in batches by one sealer at a time, and exported once sealed).
         */
        get: operations["getLedgerExportNdjson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recompute the hash chain (the sealed prefix, or a sequence range) and report the first break
         * @description Entries are appended without seq or hash and sealed into the chain in batches by one sealer at a time; `unsealed` counts entries appended but not yet sealed (not covered by this check).
         */
        get: operations["getLedgerVerify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/measurement-kinds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List measurement kinds */
        get: operations["getMeasurementKinds"];
        put?: never;
        /** Create a measurement kind */
        post: operations["postMeasurementKinds"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/measurement-kinds/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a measurement kind */
        get: operations["getMeasurementKindsByKey"];
        /**
         * Replace a measurement kind
         * @description Replaces all of an existing kind (type, values, range, metadata and periods) while no measurement and no rule uses it; otherwise 409. A kind replaced without periods accepts any period (this is how the vector runner declares a vector's kinds). Create a kind with POST.
         */
        put: operations["putMeasurementKindsByKey"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/measurement-kinds/{key}/periods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a period to a measurement kind
         * @description From then on the kind accepts only its declared periods, each within its age or grade range.
         */
        post: operations["postMeasurementKindsByKeyPeriods"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/measurements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List measurements in acceptance order (an integration sees what it submitted) */
        get: operations["getMeasurements"];
        put?: never;
        /**
         * Submit a measurement; a second submission of the same (child, kind, period) is a correction
         * @description For an integration key scoped to institutions, a child with no enrolment at one of them is answered as an unknown child (422 naming the field that named it), whether it exists or not.
         */
        post: operations["postMeasurements"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/measurements/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a measurement */
        get: operations["getMeasurementsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/measurements/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit many measurements: a JSON array (≤ 10,000 items) or an NDJSON stream (≤ NDJSON_MAX_ITEMS items and NDJSON_MAX_BODY_BYTES)
         * @description Each item is a measurement as for POST /v1/measurements, with the child given by `child_id`, `child_ref` (external reference) or `cpr`. Every item gets a result (accepted, corrected, unchanged, or rejected with a problem naming the field); a bad item never rejects the good ones. Items are stored in chunks of 5,000, each in one transaction. With `Content-Type: application/x-ndjson` the body is read as a stream and the answer is an NDJSON stream of results followed by a summary line; if processing stops part-way the last line carries `error`, and every item reported before it is stored. An NDJSON batch holds at most NDJSON_MAX_BODY_BYTES (default 1 GiB) and NDJSON_MAX_ITEMS items (default 5,000,000): a Content-Length over the bytes is refused with 413 before anything is read; a stream that crosses either limit is processed up to it and its last line is `{"error": <413 naming body>, "summary"}` — resume from item `summary.total`.
         */
        post: operations["postMeasurementsBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/measurements/retract": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retract a measurement: its awards owe nothing (history stays in the ledger)
         * @description The child is named as in a submission: exactly one of `child_id`, `child_ref` (external reference) or `cpr`.
         */
        post: operations["postMeasurementsRetract"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/objections/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resolve an objection (after correcting enrolments or the measurement if upheld) */
        post: operations["postObjectionsByIdResolve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payee-detail-changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Changes of payee details waiting for a second admin */
        get: operations["listPendingPayeeDetails"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payee-detail-changes/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a change of payee details (not by the key that proposed it) */
        post: operations["approvePayeeDetails"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payee-detail-changes/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a change of payee details */
        post: operations["rejectPayeeDetails"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payment-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List payment runs */
        get: operations["listPaymentRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payment-runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a payment run */
        get: operations["getPaymentRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payment-runs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel an unconfirmed run that the bank has not touched (reverses its ledger entry) */
        post: operations["cancelPaymentRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payment-runs/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm the run was paid (every pending line → paid) */
        post: operations["confirmPaymentRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payment-runs/{id}/file": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The payment file as CSV (with each line’s reference and payee details) */
        get: operations["getPaymentRunCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payment-runs/{id}/file.xml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The payment file as ISO 20022 pain.001.001.03 (DKK; one credit transfer per line, EndToEndId = the line’s reference)
         * @description Needs the fund’s account and approved payee details for every line at the run’s creation (409 naming what is missing). MsgId and PmtInfId are the run’s reference, so a bank refuses the same file twice.
         */
        get: operations["getPaymentRunPain001"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/outcomes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Social-mobility report: per rule, children measured and earned, earn rate with a 95 % Wilson interval, amounts, grouped, with small-cell protection
         * @description "Measured" for a rule = children with an award of that rule. Groups: `origin` (restgruppe origin or not), `municipality`, `institution_kind` and `institution` (the institutions of the kinds the rule pays that the child attended — a child who attended several counts under each; the total counts it once), `birth_year`. A group with fewer than 5 children is suppressed, and further groups where the first could be worked out from the total (docs/REPORTS.md). An institution key gets the report over the children once enrolled there, for the rules that pay its kind.
         */
        get: operations["getReportsOutcomes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rule-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The default rules the proposal describes, as composite-rule templates (docs/SEED.md) */
        get: operations["getRuleTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rule-templates/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a rule template */
        get: operations["getRuleTemplatesByKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rule-templates/{key}/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a rule of a fund from a template (as POST /v1/rules would, with the template’s requires and versions) */
        post: operations["postRuleTemplatesByKeyRules"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List rules */
        get: operations["getRules"];
        put?: never;
        /** Create a bonus rule with its versions (published, immutable): single-kind (kind) or composite (requires) */
        post: operations["postRules"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a rule */
        get: operations["getRulesById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules/{id}/assumed-rate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Sets (or, with null, clears) the rule's assumed earn rate: the mean of the forecast's prior before awards are decided */
        put: operations["putRulesByIdAssumedRate"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules/{id}/pending": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Children a composite rule is still waiting for, and the requirements they miss (SETTLEMENT.md §11)
         * @description A child is pending while some but not all of the rule’s requirements have a current measurement (no award yet). Children are internal ids only. An institution sees only children it had in one of the rule’s windows. A single-kind rule has none.
         */
        get: operations["getRulesByIdPending"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish a new version (effective after every existing one); affected awards are re-settled */
        post: operations["postRulesByIdVersions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settlement/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Settlement backlog: outbox rows, queued jobs, unsettled measurements, journal entries not yet sealed */
        get: operations["getSettlementStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Subscriptions (a key that is not admin or auditor: its own) */
        get: operations["listWebhookSubscriptions"];
        put?: never;
        /** Subscribe a URL to events, signed per Standard Webhooks */
        post: operations["createWebhookSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A subscription */
        get: operations["getWebhookSubscription"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a subscription, disable it, or enable it again */
        patch: operations["updateWebhookSubscription"];
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The subscription’s deliveries, one per event */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again (same webhook-id), with a fresh retry window */
        post: operations["redeliverWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery log: every attempt (status, error, duration) and every notice (disabled, enabled, redelivery) */
        get: operations["getWebhookLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue a new signing secret (shown once); the current one also signs for an overlap
         * @description The new secret signs every delivery from now on. The current one keeps signing beside it until `previous_secret_expires_at` (`overlap_hours`, default 24): `webhook-signature` then holds both signatures, space-separated, as the Standard Webhooks specification allows, so a receiver switches secrets at its own pace. A secret rotated out earlier stops signing (at most two sign at once). Send `{}` for the default overlap, `{"overlap_hours": 0}` to retire a leaked secret at once. Recorded in the audit log and the delivery log.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "award.changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An award was recomputed to a new revision (e.g. after a corrected measurement or enrolment, or a new rule version)
         * @description POSTed to every active subscription to `award.changed` that may see it: an admin’s subscription (optionally limited to one institution); the subscription of an institution concerned. Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.
         */
        post: operations["webhookAwardChanged"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "award.computed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An award was computed (its first revision)
         * @description POSTed to every active subscription to `award.computed` that may see it: an admin’s subscription (optionally limited to one institution); the subscription of an institution concerned. Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.
         */
        post: operations["webhookAwardComputed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "award.finalised": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An award became final
         * @description POSTed to every active subscription to `award.finalised` that may see it: an admin’s subscription (optionally limited to one institution); the subscription of an institution concerned. Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.
         */
        post: operations["webhookAwardFinalised"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "measurement.refused": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Settlement gave up on a measurement the subscribing key submitted
         * @description POSTed to every active subscription to `measurement.refused` that may see it: an admin’s subscription (optionally limited to one institution); the subscription of the integration key that submitted the measurement. Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.
         */
        post: operations["webhookMeasurementRefused"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "measurement.settled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A measurement the subscribing key submitted was settled
         * @description POSTed to every active subscription to `measurement.settled` that may see it: an admin’s subscription (optionally limited to one institution); the subscription of the integration key that submitted the measurement. Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.
         */
        post: operations["webhookMeasurementSettled"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "objection.opened": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An objection to an award was filed
         * @description POSTed to every active subscription to `objection.opened` that may see it: an admin’s subscription (optionally limited to one institution); the subscription of an institution concerned. Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.
         */
        post: operations["webhookObjectionOpened"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "objection.resolved": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An objection was resolved (upheld, rejected or withdrawn)
         * @description POSTed to every active subscription to `objection.resolved` that may see it: an admin’s subscription (optionally limited to one institution); the subscription of an institution concerned. Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.
         */
        post: operations["webhookObjectionResolved"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "payment_line.returned": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The bank returned a payment line; its amount is owed to the institution again
         * @description POSTed to every active subscription to `payment_line.returned` that may see it: an admin’s subscription (optionally limited to one institution); the subscription of an institution concerned. Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.
         */
        post: operations["webhookPaymentLineReturned"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "payment_run.confirmed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A payment run was confirmed (by hand, or by a bank statement once no line is pending)
         * @description POSTed to every active subscription to `payment_run.confirmed` that may see it: an admin’s subscription (optionally limited to one institution); the subscription of an institution concerned. Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.
         */
        post: operations["webhookPaymentRunConfirmed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "payment_run.created": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A payment run was created
         * @description POSTed to every active subscription to `payment_run.created` that may see it: an admin’s subscription (optionally limited to one institution); the subscription of an institution concerned. Sent after the change it reports has committed (outbox → queue), at least once: deduplicate by `webhook-id`. Verify the signature before trusting the body. The body never carries a CPR number or its HMAC.
         */
        post: operations["webhookPaymentRunCreated"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description An API key (its secret is never shown again after creation). */
        ApiKey: {
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            institution_id: string | null;
            name: string;
            revoked_at: string | null;
            /** @enum {string} */
            role: "admin" | "integration" | "institution" | "auditor";
            scope: {
                enrolments: boolean;
                institutions: string[] | null;
                kinds: string[] | null;
            } | null;
        };
        ApiKeyCreated: {
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            institution_id: string | null;
            /** @description The full key; shown only in this response */
            key: string;
            name: string;
            revoked_at: string | null;
            /** @enum {string} */
            role: "admin" | "integration" | "institution" | "auditor";
            scope: {
                enrolments: boolean;
                institutions: string[] | null;
                kinds: string[] | null;
            } | null;
        };
        /** @description One appended audit record: who did what to which target, when */
        AuditRecord: {
            action: string;
            /** @description The API key that acted; null for command-line tools */
            actor_key_id: string | null;
            actor_role: string | null;
            /** Format: date-time */
            at: string;
            details: {
                [key: string]: unknown;
            };
            id: number;
            target_id: string | null;
            target_type: string | null;
        };
        Award: {
            amount_ore: number;
            awaiting_funds: boolean;
            /** Format: uuid */
            child_id: string;
            computed_at: string;
            earned: boolean;
            finalised_at: string | null;
            /** Format: uuid */
            fund_id: string;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            measurement_id: string;
            open_objections: number;
            payout_total_ore: number;
            payouts: {
                amount_ore: number;
                code: string;
                /** Format: uuid */
                institution_id: string;
                payable_ore: number;
            }[];
            reserved_ore: number;
            retained_ore: number;
            review_until: string | null;
            revision: number;
            /** Format: uuid */
            rule_id: string;
            /** @enum {string} */
            status: "not_earned" | "awaiting_funds" | "provisional" | "held" | "final";
        };
        /** @description The body POSTed for `award.changed` */
        AwardChangedEvent: {
            data: components["schemas"]["AwardEventData"];
            /**
             * Format: date-time
             * @description When the event happened (ISO 8601, UTC); the same on every attempt
             */
            timestamp: string;
            /** @constant */
            type: "award.changed";
        };
        /** @description The body POSTed for `award.computed` */
        AwardComputedEvent: {
            data: components["schemas"]["AwardEventData"];
            /**
             * Format: date-time
             * @description When the event happened (ISO 8601, UTC); the same on every attempt
             */
            timestamp: string;
            /** @constant */
            type: "award.computed";
        };
        /** @description An award as computed, changed or finalised (no CPR, no child reference) */
        AwardEventData: {
            /** @description The award (integer øre) */
            amount_ore: number;
            /**
             * Format: uuid
             * @description The award’s id
             */
            award_id: string;
            /**
             * Format: uuid
             * @description The (pseudonymous) child’s id
             */
            child_id: string;
            earned: boolean;
            /**
             * Format: uuid
             * @description The fund’s id
             */
            fund_id: string;
            /**
             * Format: uuid
             * @description The measurement’s id
             */
            measurement_id: string;
            /** @description Institutions paid a positive amount */
            payouts: {
                /** @description What the award pays this institution (integer øre) */
                amount_ore: number;
                /**
                 * Format: uuid
                 * @description The institution’s id
                 */
                institution_id: string;
            }[];
            /** @description The part not paid to any institution (integer øre) */
            retained_ore: number;
            /** @description The award’s revision: 1 when computed, one more at every change */
            revision: number;
            /**
             * Format: uuid
             * @description The rule’s id
             */
            rule_id: string;
            /** @enum {string} */
            status: "not_earned" | "awaiting_funds" | "provisional" | "held" | "final";
        };
        /** @description The body POSTed for `award.finalised` */
        AwardFinalisedEvent: {
            data: components["schemas"]["AwardEventData"];
            /**
             * Format: date-time
             * @description When the event happened (ISO 8601, UTC); the same on every attempt
             */
            timestamp: string;
            /** @constant */
            type: "award.finalised";
        };
        /** @description One computed result of an award; money in integer øre, payouts by code in byte order */
        AwardRevision: {
            amount_ore: number;
            /** Format: uuid */
            award_id: string;
            computed_at: string;
            earned: boolean;
            explanation: unknown;
            payouts: {
                amount_ore: number;
                code: string;
                /** Format: uuid */
                institution_id: string;
            }[];
            retained_ore: number;
            revision: number;
        };
        BankStatement: {
            document_sha256: string;
            /** Format: uuid */
            id: string;
            message_id: string;
            /** @enum {string} */
            message_type: "camt.053" | "camt.054";
            report: components["schemas"]["ReconciliationReport"];
            /** Format: date-time */
            uploaded_at: string;
            uploaded_by: string | null;
        };
        /** @description A pseudonymous child. Its CPR (or CPR hash) is never returned. */
        Child: {
            attributes: {
                [key: string]: string | number | boolean | null;
            };
            birth_date: string;
            /** Format: date-time */
            created_at: string;
            external_ref: string | null;
            has_cpr: boolean;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description Children per CPR HMAC key id. No secrets and no hashes. */
        CprKeyStatus: {
            active_key_id: string;
            keys: {
                active: boolean;
                children: number;
                in_ring: boolean;
                key_id: string;
                /** @description Not active and no child uses it: may be removed from CPR_HMAC_KEYS */
                retirable: boolean;
            }[];
        };
        Deposit: {
            amount_ore: number;
            created_at: string;
            entry_seq: number;
            /** Format: uuid */
            fund_id: string;
            funder: string;
            /** Format: uuid */
            id: string;
            received_on: string;
            reference: string | null;
        };
        /** @description A child at an institution over the half-open span [start, end); end null = ongoing. */
        Enrolment: {
            /** Format: uuid */
            child_id: string;
            /** Format: date-time */
            created_at: string;
            end: string | null;
            /** Format: uuid */
            id: string;
            institution_code: string;
            /** Format: uuid */
            institution_id: string;
            start: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description A fund: holds deposited money and owns bonus rules. */
        Fund: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            /** Format: uuid */
            id: string;
            name: string;
        };
        /** @description The fund’s own bank account: the debtor of its payment files. */
        FundAccount: {
            bic: string | null;
            /** Format: uuid */
            fund_id: string;
            iban: string;
            name: string;
            /** Format: date-time */
            updated_at: string;
            updated_by: string | null;
        };
        /** @description An institution that raises children and is paid bonuses. */
        Institution: {
            closed_on: string | null;
            code: string;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            kind: string;
            municipality: string | null;
            name: string;
            successor: {
                code: string;
                /** Format: uuid */
                id: string;
            } | null;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description A kind of institution that bonus rule windows can name. */
        InstitutionKind: {
            key: string;
            label: string;
        };
        InstitutionPipeline: {
            as_of: string;
            /** Format: uuid */
            institution_id: string;
            items: {
                /**
                 * Format: uuid
                 * @description The internal child id (never a CPR or its HMAC)
                 */
                child_id: string;
                /** @description When the last requirement is typically measured (the catalogue's age) */
                expected_measured_on: string;
                /** @description if_earned × rate (øre, rounded half to even) */
                expected_ore: number;
                /** @description expected_measured_on + the review window (today when that has passed) */
                expected_payable_on: string;
                /** @description What the institution would receive if earned (øre, rounded half to even) */
                if_earned_ore: number;
                period: string | null;
                /** @description The forecast's earn rate for the rule and the child's group (4 decimals) */
                rate: string;
                /** Format: uuid */
                rule_id: string;
                /** @description The institution's share of the amount: its days in the windows before the measurement, an ongoing enrolment as if the child stays (6 decimals) */
                share: string;
            }[];
            rules: {
                expected_ore: number;
                /** Format: uuid */
                fund_id: string;
                if_earned_ore: number;
                pending: number;
                /** Format: uuid */
                rule_id: string;
                rule_name: string;
            }[];
        };
        JournalEntry: {
            award_id: string | null;
            award_revision: number | null;
            explanation_sha256: string | null;
            fund_id: string | null;
            hash: string;
            /** Format: uuid */
            id: string;
            kind: string;
            lines: {
                account: string;
                amount_ore: number;
            }[];
            memo: string | null;
            posted_at: string;
            posted_on: string;
            prev_hash: string;
            seq: number;
        };
        LedgerCheckpoint: {
            hash: string;
            key_id: string;
            sealed_at: string;
            seq: number;
            /** @description Ed25519 signature (base64) of the RFC 8785 JSON of {seq, hash, sealed_at, key_id} */
            signature: string;
        };
        LiabilityForecast: {
            as_of: string;
            basis: {
                cohorts: number;
                computed_at: string;
                inputs_seq: string;
            };
            beyond_horizon_ore: number;
            /** @description Payouts of decided awards not yet payable (awaiting funds, provisional, held): owed before any pending outcome */
            committed_ore: number;
            /** Format: uuid */
            fund_id: string;
            holdings: {
                available_ore: number;
                reserved_ore: number;
                total_ore: number;
            };
            horizon_years: number;
            method: {
                interval: string;
                prior: string;
                rounding: string;
            };
            not_forecast: {
                reason: string;
                /** Format: uuid */
                rule_id: string;
                rule_name: string;
            }[];
            rates: {
                assumed_rate: string;
                assumed_rate_set: boolean;
                decided: number;
                earned: number;
                /** @enum {string} */
                group: "restgruppe" | "other";
                posterior_rate: string;
                prior_weight: number;
                rate: string;
                rate_sd: number;
                /** Format: uuid */
                rule_id: string;
                rule_name: string;
            }[];
            rules: {
                beyond_horizon_ore: number;
                expected_awards: number;
                expected_ore: number;
                pending_outcomes: number;
                /** Format: uuid */
                rule_id: string;
                rule_name: string;
            }[];
            /** @description First year in which committed + cumulative expected payouts exceed the holdings (null: not within the horizon) */
            runs_out_in: number | null;
            /** @description The same with the upper bound of the cumulative payouts */
            runs_out_in_at_upper: number | null;
            scenario: string | null;
            /** @description Over the whole horizon (its interval from the variance of the sum) */
            total: {
                /** @description Expected number of earned awards (2 decimals) */
                expected_awards: number;
                /** @description Expected payout (øre): Σ amount × rate × expected share of the windows */
                expected_ore: number;
                /** @description Lower bound of the 90 % interval (øre, rounded down, not below 0) */
                lower_ore: number;
                /** @description Pending outcomes (child × award of a rule not yet decided) expected to become payable then */
                pending_outcomes: number;
                /** @description Upper bound of the 90 % interval (øre, rounded up) */
                upper_ore: number;
            };
            years: {
                cumulative_expected_ore: number;
                cumulative_upper_ore: number;
                /** @description Expected number of earned awards (2 decimals) */
                expected_awards: number;
                /** @description Expected payout (øre): Σ amount × rate × expected share of the windows */
                expected_ore: number;
                holdings_left_ore: number;
                /** @description Lower bound of the 90 % interval (øre, rounded down, not below 0) */
                lower_ore: number;
                /** @description Pending outcomes (child × award of a rule not yet decided) expected to become payable then */
                pending_outcomes: number;
                rules: {
                    /** @description Expected number of earned awards (2 decimals) */
                    expected_awards: number;
                    /** @description Expected payout (øre): Σ amount × rate × expected share of the windows */
                    expected_ore: number;
                    /** @description Lower bound of the 90 % interval (øre, rounded down, not below 0) */
                    lower_ore: number;
                    /** @description Pending outcomes (child × award of a rule not yet decided) expected to become payable then */
                    pending_outcomes: number;
                    /** Format: uuid */
                    rule_id: string;
                    /** @description Upper bound of the 90 % interval (øre, rounded up) */
                    upper_ore: number;
                }[];
                /** @description Upper bound of the 90 % interval (øre, rounded up) */
                upper_ore: number;
                year: number;
            }[];
        };
        Measurement: {
            /** Format: uuid */
            child_id: string;
            created_at: string;
            /** Format: uuid */
            id: string;
            kind: string;
            measured_on: string;
            period: string;
            revision: number;
            seq: number;
            /** @description Whether settlement has processed this revision with the current inputs (false while it waits: after it was received, corrected or retracted, or after a change to an enrolment, the child or a rule) */
            settled: boolean;
            source: string | null;
            /** @enum {string} */
            status: "active" | "retracted";
            updated_at: string;
            value: (string | number | boolean) | null;
        };
        /** @description What integrations may measure, which values are valid, and when each period is measured. */
        MeasurementKind: {
            description: string | null;
            family: string | null;
            key: string;
            max?: number;
            min?: number;
            /**
             * @description catalogue: installed from the indicator catalogue and not replaced since
             * @enum {string}
             */
            origin: "api" | "catalogue";
            /** @description empty: any period is accepted, with no age constraint */
            periods: components["schemas"]["MeasurementPeriod"][];
            source: string | null;
            /** @enum {string} */
            type: "enum" | "number" | "boolean";
            unit: string | null;
            valid_from: string | null;
            valid_to: string | null;
            values?: string[];
        };
        /** @description A period of a measurement kind and when it is plausibly measured: basis age — measured_on in [birth + from_months, birth + to_months); basis grade — relative to 1 August of the year the child turns 6 + grade, widened by early_years/late_years (docs/INDICATORS.md). */
        MeasurementPeriod: {
            /** @enum {string} */
            basis: "age" | "grade";
            description: string | null;
            early_years: number;
            from_months: number;
            grade: number | null;
            late_years: number;
            /** @enum {string} */
            origin: "api" | "catalogue";
            period: string;
            to_months: number;
            typical_months: number;
            valid_from: string | null;
            valid_to: string | null;
        };
        /** @description The body POSTed for `measurement.refused` */
        MeasurementRefusedEvent: {
            data: components["schemas"]["MeasurementRefusedEventData"];
            /**
             * Format: date-time
             * @description When the event happened (ISO 8601, UTC); the same on every attempt
             */
            timestamp: string;
            /** @constant */
            type: "measurement.refused";
        };
        /** @description Settlement gave up on a measurement (sent once per version of its inputs); it stays unsettled and is retried */
        MeasurementRefusedEventData: {
            kind: string;
            /**
             * Format: uuid
             * @description The measurement’s id
             */
            measurement_id: string;
            period: string;
            /** @constant */
            reason: "settlement_failed";
            revision: number;
        };
        /** @description The body POSTed for `measurement.settled` */
        MeasurementSettledEvent: {
            data: components["schemas"]["MeasurementSettledEventData"];
            /**
             * Format: date-time
             * @description When the event happened (ISO 8601, UTC); the same on every attempt
             */
            timestamp: string;
            /** @constant */
            type: "measurement.settled";
        };
        /** @description A measurement the submitting key sent was settled */
        MeasurementSettledEventData: {
            /** @description Awards this settlement wrote (computed or changed) */
            changed_awards: {
                /** @description The award (integer øre) */
                amount_ore: number;
                /**
                 * Format: uuid
                 * @description The award’s id
                 */
                award_id: string;
                /**
                 * Format: uuid
                 * @description The fund’s id
                 */
                fund_id: string;
                /**
                 * Format: uuid
                 * @description The rule’s id
                 */
                rule_id: string;
                /** @enum {string} */
                status: "not_earned" | "awaiting_funds" | "provisional" | "held" | "final";
            }[];
            /** @description The measurement kind’s key */
            kind: string;
            /**
             * Format: uuid
             * @description The measurement’s id
             */
            measurement_id: string;
            period: string;
            revision: number;
            /** @enum {string} */
            status: "active" | "retracted";
        };
        Objection: {
            /** Format: uuid */
            award_id: string;
            created_at: string;
            /** Format: uuid */
            id: string;
            institution_id: string | null;
            reason: string;
            resolution: string | null;
            resolved_at: string | null;
            /** @enum {string} */
            status: "open" | "upheld" | "rejected" | "withdrawn";
        };
        /** @description An objection to an award; its free-text reason and resolution are not sent */
        ObjectionEventData: {
            /**
             * Format: uuid
             * @description The award’s id
             */
            award_id: string;
            /**
             * Format: uuid
             * @description The fund’s id
             */
            fund_id: string;
            institution_id: string | null;
            /**
             * Format: uuid
             * @description The objection’s id
             */
            objection_id: string;
            /** @enum {string} */
            status: "open" | "upheld" | "rejected" | "withdrawn";
        };
        /** @description The body POSTed for `objection.opened` */
        ObjectionOpenedEvent: {
            data: components["schemas"]["ObjectionEventData"];
            /**
             * Format: date-time
             * @description When the event happened (ISO 8601, UTC); the same on every attempt
             */
            timestamp: string;
            /** @constant */
            type: "objection.opened";
        };
        /** @description The body POSTed for `objection.resolved` */
        ObjectionResolvedEvent: {
            data: components["schemas"]["ObjectionEventData"];
            /**
             * Format: date-time
             * @description When the event happened (ISO 8601, UTC); the same on every attempt
             */
            timestamp: string;
            /** @constant */
            type: "objection.resolved";
        };
        OutcomeReport: {
            confidence: number;
            /** @enum {string} */
            group_by: "origin" | "municipality" | "institution_kind" | "institution" | "birth_year";
            /** @description Set for an institution key: the report covers only children once enrolled there */
            institution_id: string | null;
            min_cell: number;
            rules: {
                /** Format: uuid */
                fund_id: string;
                /** @description Earn rate of children of restgruppe origin minus that of the others, in percentage points; null when either side has fewer than 5 children */
                gap_pp: number | null;
                groups: {
                    /** @description Sum of the award amounts (øre) */
                    amount_ore: number | null;
                    /** @description Upper bound of the 95 % Wilson interval */
                    ci_high: number | null;
                    /** @description Lower bound of the 95 % Wilson interval of the earn rate */
                    ci_low: number | null;
                    /** @description earned / measured (4 decimals) */
                    earn_rate: number | null;
                    /** @description Of them, children with an earned award */
                    earned: number | null;
                    /** @description Earn rate of children of restgruppe origin minus that of the others, in percentage points; null when either side has fewer than 5 children */
                    gap_pp: number | null;
                    key: string | null;
                    label: string;
                    /** @description Children with an award of the rule (null: suppressed) */
                    measured: number | null;
                    /** @description Why the figures are withheld (null: published): primary — fewer than 5 children; secondary — withheld so that a primary cell cannot be worked out from the total */
                    suppressed: ("primary" | "secondary") | null;
                }[];
                /** Format: uuid */
                rule_id: string;
                rule_name: string;
                total: {
                    /** @description Sum of the award amounts (øre) */
                    amount_ore: number | null;
                    /** @description Upper bound of the 95 % Wilson interval */
                    ci_high: number | null;
                    /** @description Lower bound of the 95 % Wilson interval of the earn rate */
                    ci_low: number | null;
                    /** @description earned / measured (4 decimals) */
                    earn_rate: number | null;
                    /** @description Of them, children with an earned award */
                    earned: number | null;
                    /** @description Children with an award of the rule (null: suppressed) */
                    measured: number | null;
                    /** @description Why the figures are withheld (null: published): primary — fewer than 5 children; secondary — withheld so that a primary cell cannot be worked out from the total */
                    suppressed: ("primary" | "secondary") | null;
                };
            }[];
        };
        /** @description One version of an institution’s payee details; approved by a second admin key before use. */
        PayeeDetails: {
            account: {
                account_no: string | null;
                bic: string | null;
                iban: string | null;
                reg_no: string | null;
                /** @enum {string} */
                type: "dk_account" | "iban" | "nemkonto";
            };
            cvr: string;
            decided_at: string | null;
            decided_by: string | null;
            decision_note: string | null;
            ean: string | null;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            institution_id: string;
            /** Format: date-time */
            proposed_at: string;
            /** Format: uuid */
            proposed_by: string;
            /** @enum {string} */
            status: "pending" | "approved" | "rejected" | "superseded";
            version: number;
        };
        /** @description The body POSTed for `payment_line.returned` */
        PaymentLineReturnedEvent: {
            data: components["schemas"]["PaymentLineReturnedEventData"];
            /**
             * Format: date-time
             * @description When the event happened (ISO 8601, UTC); the same on every attempt
             */
            timestamp: string;
            /** @constant */
            type: "payment_line.returned";
        };
        /** @description The bank returned a payment line (camt.053/054) */
        PaymentLineReturnedEventData: {
            /** @description The returned amount, back on the institution’s payable (integer øre) */
            amount_ore: number;
            /**
             * Format: uuid
             * @description The fund’s id
             */
            fund_id: string;
            /**
             * Format: uuid
             * @description The institution’s id
             */
            institution_id: string;
            /** @description The line’s reference (the EndToEndId the bank returned) */
            reference: string;
            /** @description The bank’s ISO 20022 return reason code (e.g. AC04); null for a reversal without one */
            return_reason: string | null;
            /** @description The booking date of the return in the statement */
            returned_on: string | null;
            /**
             * Format: uuid
             * @description The payment run’s id
             */
            run_id: string;
        };
        PaymentRun: {
            cancelled_at: string | null;
            confirmed_at: string | null;
            created_at: string;
            cutoff_on: string;
            /** @description The fund’s account when the run was created */
            debtor: {
                bic: string | null;
                iban: string;
                name: string;
            } | null;
            entry_seq: number | null;
            /** Format: uuid */
            fund_id: string;
            /** Format: uuid */
            id: string;
            lines: {
                amount_ore: number;
                code: string;
                /** Format: uuid */
                institution_id: string;
                line_no: number;
                name: string;
                /** @description The payee details approved when the run was created (null: there were none) */
                payee_details: {
                    account: string;
                    cvr: string;
                    ean: string | null;
                    /** Format: uuid */
                    id: string;
                    version: number;
                } | null;
                /** @description The EndToEndId of this line’s credit transfer in the payment file */
                reference: string;
                return_reason: string | null;
                /** @description Booking date of the bank entry that paid or returned the line */
                settled_on: string | null;
                /** @enum {string} */
                status: "pending" | "paid" | "returned" | "cancelled";
            }[];
            reference: string;
            /** @enum {string} */
            status: "created" | "confirmed" | "cancelled";
            total_ore: number;
        };
        /** @description The body POSTed for `payment_run.confirmed` */
        PaymentRunConfirmedEvent: {
            data: components["schemas"]["PaymentRunEventData"];
            /**
             * Format: date-time
             * @description When the event happened (ISO 8601, UTC); the same on every attempt
             */
            timestamp: string;
            /** @constant */
            type: "payment_run.confirmed";
        };
        /** @description The body POSTed for `payment_run.created` */
        PaymentRunCreatedEvent: {
            data: components["schemas"]["PaymentRunEventData"];
            /**
             * Format: date-time
             * @description When the event happened (ISO 8601, UTC); the same on every attempt
             */
            timestamp: string;
            /** @constant */
            type: "payment_run.created";
        };
        /** @description A payment run created, or confirmed (by hand or by a bank statement) */
        PaymentRunEventData: {
            /** Format: date */
            cutoff_on: string;
            /**
             * Format: uuid
             * @description The fund’s id
             */
            fund_id: string;
            /** @description The run’s lines; an institution’s subscription is sent its own line only */
            lines: {
                /** @description The line (integer øre) */
                amount_ore: number;
                /**
                 * Format: uuid
                 * @description The institution’s id
                 */
                institution_id: string;
                /** @description The line’s reference: the EndToEndId of its credit transfer */
                reference: string;
                /** @enum {string} */
                status: "pending" | "paid" | "returned" | "cancelled";
            }[];
            reference: string;
            /**
             * Format: uuid
             * @description The payment run’s id
             */
            run_id: string;
            /** @enum {string} */
            status: "created" | "confirmed" | "cancelled";
            /** @description The run’s total (integer øre); not sent to an institution’s subscription */
            total_ore?: number;
        };
        PendingChild: {
            /** Format: uuid */
            child_id: string;
            missing: components["schemas"]["RuleRequirement"][];
        };
        /** @description RFC 9457 problem details */
        Problem: {
            detail?: string;
            errors?: {
                field: string;
                message: string;
            }[];
            field?: string;
            instance?: string;
            status: number;
            title: string;
            type: string;
        } & {
            [key: string]: unknown;
        };
        /** @description What an uploaded bank statement did, per transaction. */
        ReconciliationReport: {
            counts: {
                [key: string]: number;
            };
            /** @description This document was uploaded before: its first report, nothing done again */
            duplicate: boolean;
            items: {
                amount_ore: number | null;
                booking_date: string | null;
                /** @enum {string} */
                credit_debit: "CRDT" | "DBIT";
                end_to_end_id: string | null;
                /** @enum {string} */
                entry_status: "BOOK" | "PDNG" | "INFO";
                line_reference: string | null;
                message: string;
                /** @enum {string} */
                outcome: "paid" | "returned" | "already_paid" | "already_returned" | "not_booked" | "unmatched" | "amount_mismatch" | "currency_mismatch" | "account_mismatch" | "unexpected";
                /** @description Where the transaction is in the document */
                path: string;
                return_reason: string | null;
            }[];
            message_id: string;
            /** @enum {string} */
            message_type: "camt.053" | "camt.054";
            /** Format: uuid */
            statement_id: string;
        };
        Rule: {
            created_at: string;
            /** Format: uuid */
            fund_id: string;
            /** Format: uuid */
            id: string;
            kind: string | null;
            name: string;
            periods: string[] | null;
            /** @description The rule as a list of requirements: a composite rule’s own (SETTLEMENT.md §11); a single-kind rule’s one, named after its kind, with its one period or null when it applies to several or every period (see periods). */
            requires: components["schemas"]["RuleRequirement"][];
            versions: {
                created_at: string;
                effective_from: string;
                /** Format: uuid */
                id: string;
                spec: unknown;
                version: number;
            }[];
        };
        RuleRequirement: {
            kind: string;
            name: string;
            period: string | null;
        };
        RuleRequirementsInput: {
            [key: string]: {
                kind: string;
                period: string;
            };
        };
        RuleTemplate: {
            description: string;
            key: string;
            name: string;
            requires: {
                [key: string]: {
                    kind: string;
                    period: string;
                };
            };
            versions: {
                /** @enum {string} */
                age_basis: "months" | "calendar_years" | "seasons";
                amount: {
                    fixed_ore: number;
                };
                effective_from: string;
                multipliers: {
                    attribute: string;
                    equals: string | number | boolean | null;
                    factor_bp: number;
                }[];
                predicates: {
                    [key: string]: {
                        /** @constant */
                        op: "eq";
                        value: string | number | boolean;
                    } | {
                        /** @constant */
                        op: "in";
                        values: (string | number | boolean)[];
                    } | {
                        /** @enum {string} */
                        op: "gt" | "gte" | "lt" | "lte";
                        value: number;
                    } | {
                        max: number;
                        min: number;
                        /** @constant */
                        op: "between";
                    };
                };
                review_days: number;
                season_start?: string | null;
                /** @enum {string} */
                unattributed: "retain" | "redistribute";
                windows: {
                    from: number;
                    kinds: string[];
                    share_bp: number;
                    to: number;
                }[];
            }[];
        };
        RuleVersionInput: {
            /**
             * @default months
             * @enum {string}
             */
            age_basis?: "months" | "calendar_years" | "seasons";
            amount: {
                fixed_ore: number;
            } | {
                value_bp: number;
            };
            effective_from: string;
            /** @default [] */
            multipliers?: {
                attribute: string;
                equals: string | number | boolean | null;
                factor_bp: number;
            }[];
            predicate?: {
                /** @constant */
                op: "eq";
                value: string | number | boolean;
            } | {
                /** @constant */
                op: "in";
                values: (string | number | boolean)[];
            } | {
                /** @enum {string} */
                op: "gt" | "gte" | "lt" | "lte";
                value: number;
            } | {
                max: number;
                min: number;
                /** @constant */
                op: "between";
            };
            predicates?: {
                [key: string]: {
                    /** @constant */
                    op: "eq";
                    value: string | number | boolean;
                } | {
                    /** @constant */
                    op: "in";
                    values: (string | number | boolean)[];
                } | {
                    /** @enum {string} */
                    op: "gt" | "gte" | "lt" | "lte";
                    value: number;
                } | {
                    max: number;
                    min: number;
                    /** @constant */
                    op: "between";
                };
            };
            /** @default 30 */
            review_days?: number;
            season_start?: string | null;
            /**
             * @default retain
             * @enum {string}
             */
            unattributed?: "retain" | "redistribute";
            windows: {
                from: number;
                kinds: string[];
                share_bp: number;
                to: number;
            }[];
        };
        WebhookDelivery: {
            attempts: number;
            /** Format: date-time */
            created_at: string;
            delivered_at: string | null;
            /** @description Sent as webhook-id; the same on every attempt and redelivery */
            event_id: string;
            first_attempt_at: string | null;
            /** Format: uuid */
            id: string;
            last_attempt_at: string | null;
            next_attempt_at: string | null;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            type: string;
        };
        WebhookLogEntry: {
            /** Format: date-time */
            at: string;
            attempt_no: number | null;
            delivery_id: string | null;
            duration_ms: number | null;
            error: string | null;
            id: number;
            /** @enum {string} */
            kind: "attempt" | "notice";
            message: string | null;
            status_code: number | null;
        };
        WebhookSubscription: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            disabled_at: string | null;
            disabled_reason: string | null;
            events: string[];
            /** Format: uuid */
            id: string;
            institution_id: string | null;
            integration_key_id: string | null;
            /** @description Until then deliveries also carry a signature with the secret before the last rotation (null: only the current one signs) */
            previous_secret_expires_at: string | null;
            /** @description When the signing secret was last rotated (null: never) */
            secret_rotated_at: string | null;
            /** @enum {string} */
            status: "active" | "disabled";
            /** Format: date-time */
            updated_at: string;
            url: string;
        };
        WebhookSubscriptionCreated: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            disabled_at: string | null;
            disabled_reason: string | null;
            events: string[];
            /** Format: uuid */
            id: string;
            institution_id: string | null;
            integration_key_id: string | null;
            /** @description Until then deliveries also carry a signature with the secret before the last rotation (null: only the current one signs) */
            previous_secret_expires_at: string | null;
            /** @description The Standard Webhooks signing secret (whsec_…). Shown only now; stored encrypted. */
            secret: string;
            /** @description When the signing secret was last rotated (null: never) */
            secret_rotated_at: string | null;
            /** @enum {string} */
            status: "active" | "disabled";
            /** Format: date-time */
            updated_at: string;
            url: string;
        };
        WebhookSubscriptionRotated: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            disabled_at: string | null;
            disabled_reason: string | null;
            events: string[];
            /** Format: uuid */
            id: string;
            institution_id: string | null;
            integration_key_id: string | null;
            /** @description Until then deliveries also carry a signature with the secret before the last rotation (null: only the current one signs) */
            previous_secret_expires_at: string | null;
            /** @description The Standard Webhooks signing secret (whsec_…). Shown only now; stored encrypted. */
            secret: string;
            /** @description When the signing secret was last rotated (null: never) */
            secret_rotated_at: string | null;
            /** @enum {string} */
            status: "active" | "disabled";
            /** Format: date-time */
            updated_at: string;
            url: string;
        };
    };
    responses: {
        /** @description Payload too large: the body is larger than BODY_LIMIT_BYTES. */
        BodyTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Forbidden: the key’s role may not do this. */
        ForbiddenRole: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Conflict: a request with the same Idempotency-Key is still being processed. */
        IdempotencyInProgress: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Unprocessable content: the Idempotency-Key was used before with a different request. */
        IdempotencyMismatch: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Unprocessable content: the cursor is not one this API handed out. */
        InvalidCursor: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Bad request: a path parameter does not match the schema. */
        InvalidPathParameter: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Bad request: a query parameter is unknown or does not match the schema. */
        InvalidQueryParameter: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not found: the object named in the path does not exist (or is not visible to this key). */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description URI too long: a path parameter is too long. */
        PathParameterTooLong: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Too many requests: too many requests from this API key; retry after Retry-After seconds. */
        RateLimited: {
            headers: {
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Unauthorized: no API key, or an unknown or revoked one. */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Service unavailable: the database or the queue is unavailable, or a concurrent change got in the way; retry after Retry-After seconds. */
        Unavailable: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Unsupported media type: the body’s content type is not one the operation accepts (JSON, unless it says otherwise). */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
        WebhookId: string;
        /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
        WebhookSignature: string;
        /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
        WebhookTimestamp: string;
    };
    requestBodies: never;
    headers: {
        /** @description Requests this API key may send at once (the bucket size). */
        "RateLimit-Limit": number;
        /** @description Requests left in the bucket. */
        "RateLimit-Remaining": number;
        /** @description Seconds until the bucket is full again. */
        "RateLimit-Reset": number;
        /** @description Seconds to wait before retrying. */
        "Retry-After": number;
        /** @description The authentication scheme: `Bearer`. */
        "WWW-Authenticate": string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    getReadyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        database: string;
                        queue: string;
                        /** @enum {string} */
                        status: "ready";
                    };
                };
            };
            /** @description Service unavailable: Not ready: database and queue unavailable.. */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAdminCprKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CprKeyStatus"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getApiKeys: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKey"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Institution keys only: the institution (id or code)
                     * @example V-101
                     */
                    institution?: string;
                    name: string;
                    /** @enum {string} */
                    role: "admin" | "integration" | "institution" | "auditor";
                    /** @description Integration keys only (required for them) */
                    scope?: {
                        /**
                         * @description May submit enrolments
                         * @default false
                         */
                        enrolments?: boolean;
                        /** @description Ids or codes; null = all */
                        institutions: string[] | null;
                        /** @description Measurement kinds; null = all */
                        kinds: string[] | null;
                    };
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.institution: is required for institution keys (and only for them), and must be a known institution; body.scope: is required for integration keys (and only for them); its kinds and institutions must exist. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getApiKeysById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postApiKeysByIdRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getAuditLog: {
        parameters: {
            query?: {
                /** @description Exact action, e.g. payment_run.create */
                action?: string;
                actor_key_id?: string;
                cursor?: string;
                /** @description Records at or after this instant */
                from?: string;
                limit?: number;
                target_id?: string;
                target_type?: string;
                /** @description Records before this instant */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AuditRecord"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Unprocessable content: the cursor is not one this API handed out; query.to: must not be before from. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getAwards: {
        parameters: {
            query?: {
                child_id?: string;
                cursor?: string;
                fund_id?: string;
                institution_id?: string;
                limit?: number;
                measurement_id?: string;
                rule_id?: string;
                status?: "not_earned" | "awaiting_funds" | "provisional" | "held" | "final";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Award"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; An institution key reads only its own awards.. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getAwardsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount_ore: number;
                        awaiting_funds: boolean;
                        /** Format: uuid */
                        child_id: string;
                        computed_at: string;
                        earned: boolean;
                        explanation: unknown;
                        finalised_at: string | null;
                        /** Format: uuid */
                        fund_id: string;
                        /** Format: uuid */
                        id: string;
                        /** Format: uuid */
                        measurement_id: string;
                        open_objections: number;
                        payout_total_ore: number;
                        payouts: {
                            amount_ore: number;
                            code: string;
                            /** Format: uuid */
                            institution_id: string;
                            payable_ore: number;
                        }[];
                        reserved_ore: number;
                        retained_ore: number;
                        review_until: string | null;
                        revision: number;
                        /** Format: uuid */
                        rule_id: string;
                        /** @enum {string} */
                        status: "not_earned" | "awaiting_funds" | "provisional" | "held" | "final";
                    };
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getAwardsByIdObjections: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Objection"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postAwardsByIdObjections: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Objection"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getAwardsByIdRevisions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AwardRevision"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postAwardsFinalise: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Only these awards (each must be an award of the fund). */
                    award_ids?: string[];
                    /** Format: uuid */
                    fund_id: string;
                    /** @description Why the review window is cut short; kept in the audit log. */
                    reason: string;
                    /**
                     * Format: date
                     * @description Only awards whose review window ends on or before this date (business time zone).
                     * @example 2023-04-20
                     */
                    review_until_by?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        finalised: number;
                    };
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.fund_id: unknown fund; body.award_ids.0: is an award of another fund. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    listBankStatements: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["BankStatement"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    uploadBankStatement: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description camt.053.001.02 or camt.054.001.02 XML */
        requestBody: {
            content: {
                "application/xml": string;
                "text/xml": string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconciliationReport"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconciliationReport"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getBankStatement: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BankStatement"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getChildren: {
        parameters: {
            query?: {
                cursor?: string;
                external_ref?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Child"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postChildren: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Flat object of JSON primitives used by rule multipliers
                     * @example {
                     *       "restgruppe_origin": true
                     *     }
                     */
                    attributes?: {
                        [key: string]: string | number | boolean | null;
                    };
                    /**
                     * Format: date
                     * @description Required without cpr; with cpr it must match the CPR
                     * @example 2023-04-20
                     */
                    birth_date?: string;
                    /** @description CPR number DDMMYY-SSSS (dash optional); only its keyed HMAC is stored */
                    cpr?: string;
                    external_ref?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Child"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; body.cpr: a child with this CPR exists; body.external_ref: a child with this external reference exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.cpr: is not a valid CPR number (an impossible date, or one in the future); body.birth_date: is required unless cpr is given, must match the CPR, and may not be in the future. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getChildrenById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Child"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    patchChildrenById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Flat object of JSON primitives used by rule multipliers
                     * @example {
                     *       "restgruppe_origin": true
                     *     }
                     */
                    attributes?: {
                        [key: string]: string | number | boolean | null;
                    };
                    /**
                     * Format: date
                     * @description Required without cpr; with cpr it must match the CPR
                     * @example 2023-04-20
                     */
                    birth_date?: string;
                    /** @description CPR number DDMMYY-SSSS (dash optional); only its keyed HMAC is stored */
                    cpr?: string;
                    external_ref?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Child"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: body.cpr: a child with this CPR exists; body.external_ref: a child with this external reference exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: body.cpr: is not a valid CPR number (an impossible date, or one in the future); body.birth_date: is required unless cpr is given, must match the CPR, and may not be in the future. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getChildrenByIdPassport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        awards: components["schemas"]["Award"][];
                        child: {
                            attributes: {
                                [key: string]: unknown;
                            };
                            birth_date: string;
                            external_ref: string | null;
                            /** Format: uuid */
                            id: string;
                        };
                        enrolments: {
                            end: string | null;
                            /** Format: uuid */
                            id: string;
                            institution_code: string;
                            /** Format: uuid */
                            institution_id: string;
                            institution_kind: string;
                            start: string;
                        }[];
                        measurements: components["schemas"]["Measurement"][];
                    };
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postChildrenBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown[];
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: ({
                            /** Format: uuid */
                            child_id: string;
                            index: number;
                            /** @enum {string} */
                            outcome: "accepted" | "unchanged";
                        } | {
                            index: number;
                            /** @enum {string} */
                            outcome: "rejected";
                            problem: {
                                detail: string;
                                errors: {
                                    field: string;
                                    message: string;
                                }[];
                                status: number;
                                title: string;
                            };
                        })[];
                        summary: {
                            accepted: number;
                            rejected: number;
                            total: number;
                            unchanged: number;
                        };
                    };
                    "application/x-ndjson": string;
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            409: components["responses"]["IdempotencyInProgress"];
            /** @description Payload too large: the body is larger than BODY_LIMIT_BYTES; an NDJSON batch whose Content-Length is over NDJSON_MAX_BODY_BYTES (refused before anything is read; a streamed batch that crosses NDJSON_MAX_BODY_BYTES or NDJSON_MAX_ITEMS is processed up to the limit and its 200 answer ends with an `error` line carrying this problem). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postChildrenLookup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description CPR number DDMMYY-SSSS (dash optional); only its keyed HMAC is stored */
                    cpr: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Child"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Not found: body.cpr: A child with this CPR was not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.cpr: is not a valid CPR number (an impossible date, or one in the future). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getEnrolments: {
        parameters: {
            query?: {
                child?: string;
                cursor?: string;
                /** @description Institution id or code */
                institution?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Enrolment"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; query.institution: an institution key may only list its own enrolments. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable content: the cursor is not one this API handed out; query.institution: is not a known institution (id or code). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postEnrolments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    child: string;
                    /** @description First day no longer enrolled (exclusive); null = ongoing */
                    end?: string | null;
                    /**
                     * @description Institution id or code
                     * @example V-101
                     */
                    institution: string;
                    /**
                     * Format: date
                     * @example 2023-04-20
                     */
                    start: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Enrolment"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; body.institution: this institution is outside the key’s scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; body.start: overlaps another enrolment of this child at this institution. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.child: is not a known child; body.institution: is not a known institution (id or code); body.end: must be after start (the span is [start, end)). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getEnrolmentsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Enrolment"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; params.id: this enrolment is outside the key’s scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteEnrolmentsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body is not valid JSON; a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    patchEnrolmentsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description First day no longer enrolled (exclusive); null = ongoing */
                    end?: string | null;
                    /**
                     * @description Institution id or code
                     * @example V-101
                     */
                    institution?: string;
                    /**
                     * Format: date
                     * @example 2023-04-20
                     */
                    start?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Enrolment"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; body.institution: this institution is outside the key’s scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description Conflict: body.start: overlaps another enrolment of this child at this institution. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: body.institution: is not a known institution (id or code); body.end: must be after start (the span is [start, end)). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postEnrolmentsByIdEnd: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date
                     * @example 2023-04-20
                     */
                    end: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Enrolment"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; body.institution: this institution is outside the key’s scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; body.end: the enrolment has already ended; correct it with PATCH. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.end: must be after start (the span is [start, end)). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postEnrolmentsBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown[];
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: ({
                            /** Format: uuid */
                            enrolment_id: string;
                            index: number;
                            /** @enum {string} */
                            outcome: "accepted" | "unchanged";
                        } | {
                            index: number;
                            /** @enum {string} */
                            outcome: "rejected";
                            problem: {
                                detail: string;
                                errors: {
                                    field: string;
                                    message: string;
                                }[];
                                status: number;
                                title: string;
                            };
                        })[];
                        summary: {
                            accepted: number;
                            rejected: number;
                            total: number;
                            unchanged: number;
                        };
                    };
                    "application/x-ndjson": string;
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            409: components["responses"]["IdempotencyInProgress"];
            /** @description Payload too large: the body is larger than BODY_LIMIT_BYTES; an NDJSON batch whose Content-Length is over NDJSON_MAX_BODY_BYTES (refused before anything is read; a streamed batch that crosses NDJSON_MAX_BODY_BYTES or NDJSON_MAX_ITEMS is processed up to the limit and its 200 answer ends with an `error` line carrying this problem). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getFunds: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Fund"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postFunds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Fund"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getFundsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Fund"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    patchFundsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    name?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Fund"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getFundAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FundAccount"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    setFundAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    bic?: string | null;
                    iban: string;
                    /** @description Account holder (debtor) name in payment files */
                    name: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FundAccount"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: see the operation’s description. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getFundsByIdBalances: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        available_ore: number;
                        awaiting_awards: number;
                        awaiting_shortfall_ore: number;
                        deposited_ore: number;
                        /** Format: uuid */
                        fund_id: string;
                        paid_out_ore: number;
                        payable_ore: number;
                        reserved_ore: number;
                    };
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getFundsByIdDeposits: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Deposit"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Bad request: a query parameter is unknown or does not match the schema; a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postFundsByIdDeposits: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount_ore: number;
                    funder: string;
                    /**
                     * Format: date
                     * @example 2023-04-20
                     */
                    received_on?: string;
                    reference?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deposit"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.received_on: cannot be in the future. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getFundsByIdForecast: {
        parameters: {
            query?: {
                format?: "json" | "csv";
                /** @description Calendar years ahead, from this one (1–100) */
                horizon?: number;
                scenario?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LiabilityForecast"];
                    "text/csv": string;
                };
            };
            /** @description Bad request: a query parameter is unknown or does not match the schema; a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Not found: the object named in the path does not exist (or is not visible to this key); The fund was not found.. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            414: components["responses"]["PathParameterTooLong"];
            /** @description Unprocessable content: query.scenario: unknown rule, a rate outside 0–1 or a shift outside ±100 points. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    createPaymentRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date
                     * @example 2023-04-20
                     */
                    cutoff_on: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentRun"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; body.cutoff_on: nothing is payable for this fund at this cut-off. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.cutoff_on: cannot be in the future. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getInstitutionKinds: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["InstitutionKind"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postInstitutionKinds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    key: string;
                    label: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstitutionKind"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; body.key: an institution kind with this key exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getInstitutions: {
        parameters: {
            query?: {
                cursor?: string;
                kind?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Institution"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postInstitutions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    closed_on?: string | null;
                    /** @description Unique external identifier, e.g. institutionsnummer */
                    code: string;
                    /** @description An institution kind key (see /v1/institution-kinds) */
                    kind: string;
                    municipality?: string | null;
                    /** @description Defaults to the code */
                    name?: string;
                    /** @description Who is paid once this one has closed */
                    successor?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Institution"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; body.code: an institution with this code exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.kind: is not a known institution kind (see /v1/institution-kinds); body.successor: is not a known institution (id or code), is the institution itself, or would make a cycle of successors. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getInstitutionsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Institution"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; params.id: is not this key’s institution. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    patchInstitutionsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    closed_on?: string | null;
                    /** @description Unique external identifier, e.g. institutionsnummer */
                    code?: string;
                    /** @description An institution kind key (see /v1/institution-kinds) */
                    kind?: string;
                    municipality?: string | null;
                    /** @description Defaults to the code */
                    name?: string;
                    /** @description Who is paid once this one has closed */
                    successor?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Institution"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: body.code: an institution with this code exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: body.kind: is not a known institution kind (see /v1/institution-kinds); body.successor: is not a known institution (id or code), is the institution itself, or would make a cycle of successors. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getInstitutionsByIdBalances: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        by_fund: {
                            /** Format: uuid */
                            fund_id: string;
                            payable_ore: number;
                        }[];
                        code: string;
                        /** Format: uuid */
                        institution_id: string;
                        payable_ore: number;
                    };
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; An institution key reads only its own balances and statements.. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postInstitutionsByIdClose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date
                     * @example 2023-04-20
                     */
                    closed_on: string;
                    successor?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Institution"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.successor: is not a known institution (id or code), is the institution itself, or would make a cycle of successors. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPayeeDetails: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        current: components["schemas"]["PayeeDetails"] | null;
                        history: components["schemas"]["PayeeDetails"][];
                        pending: components["schemas"]["PayeeDetails"] | null;
                    };
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    proposePayeeDetails: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    account: {
                        /**
                         * @description Account number, up to 10 digits
                         * @example 0001234567
                         */
                        account_no: string;
                        /**
                         * @description Danish registration number, 4 digits
                         * @example 1234
                         */
                        reg_no: string;
                        /** @enum {string} */
                        type: "dk_account";
                    } | {
                        /** @description The bank’s BIC (8 or 11 characters), if known */
                        bic?: string | null;
                        /**
                         * @description ISO 13616 IBAN, spaces allowed
                         * @example DK5000400440116243
                         */
                        iban: string;
                        /** @enum {string} */
                        type: "iban";
                    } | {
                        /**
                         * @description Pay the NemKonto registered to the CVR number
                         * @enum {string}
                         */
                        type: "nemkonto";
                    };
                    /**
                     * @description CVR number: 8 digits, modulus 11
                     * @example 61126228
                     */
                    cvr: string;
                    /** @description EAN / GLN location number of a public unit: 13 digits, GS1 check digit */
                    ean?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PayeeDetails"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getInstitutionsByIdPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstitutionPipeline"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; An institution key reads only its own pipeline.. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found: the object named in the path does not exist (or is not visible to this key); The institution was not found.. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getInstitutionsByIdRules: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Rule"][];
                    };
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; An institution key reads only the rules that pay itself.. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getInstitutionsByIdStatement: {
        parameters: {
            query?: {
                /** @description First day (inclusive); default 1 January of to’s year */
                from?: string;
                /** @description Last day (inclusive); default today in BUSINESS_TIME_ZONE */
                to?: string;
            };
            header?: never;
            path: {
                /** @description Institution id or code */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        closing_balance_ore: number;
                        from: string;
                        institution: {
                            code: string;
                            /** Format: uuid */
                            id: string;
                            name: string;
                        };
                        movements: {
                            amount_ore: number;
                            award_id: string | null;
                            explanation: unknown;
                            fund_id: string | null;
                            kind: string;
                            memo: string | null;
                            posted_on: string;
                            seq: number;
                        }[];
                        opening_balance_ore: number;
                        to: string;
                    };
                };
            };
            /** @description Bad request: a query parameter is unknown or does not match the schema; a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; An institution key reads only its own balances and statements.. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            /** @description Unprocessable content: query.to: must not be before from; query.from: must not be after to (today, when to is not given). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getInstitutionsByIdStatementCsv: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path: {
                /** @description Institution id or code */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Bad request: a query parameter is unknown or does not match the schema; a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; An institution key reads only its own balances and statements.. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            /** @description Unprocessable content: query.to: must not be before from; query.from: must not be after to (today, when to is not given). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getLedgerCheckpoints: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["LedgerCheckpoint"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getLedgerCheckpointsKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            active: boolean;
                            key_id: string;
                            public_key_pem: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getLedgerEntries: {
        parameters: {
            query?: {
                account?: string;
                award_id?: string;
                cursor?: string;
                from_date?: string;
                from_seq?: number;
                fund_id?: string;
                institution_id?: string;
                limit?: number;
                to_date?: string;
                to_seq?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["JournalEntry"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Unprocessable content: the cursor is not one this API handed out; query.to_seq: must not be less than from_seq; query.to_date: must not be before from_date. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getLedgerExportCsv: {
        parameters: {
            query?: {
                account?: string;
                award_id?: string;
                from_date?: string;
                from_seq?: number;
                fund_id?: string;
                institution_id?: string;
                to_date?: string;
                to_seq?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Unprocessable content: query.to_seq: must not be less than from_seq; query.to_date: must not be before from_date. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getLedgerExportNdjson: {
        parameters: {
            query?: {
                account?: string;
                award_id?: string;
                from_date?: string;
                from_seq?: number;
                fund_id?: string;
                institution_id?: string;
                to_date?: string;
                to_seq?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Unprocessable content: query.to_seq: must not be less than from_seq; query.to_date: must not be before from_date. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getLedgerVerify: {
        parameters: {
            query?: {
                from_seq?: number;
                to_seq?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checked: number;
                        first_break?: {
                            actual?: string;
                            expected?: string;
                            reason: string;
                            seq: number;
                        };
                        last_hash?: string;
                        last_seq?: number | null;
                        ok: boolean;
                        unsealed: number;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getMeasurementKinds: {
        parameters: {
            query?: {
                cursor?: string;
                family?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["MeasurementKind"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postMeasurementKinds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    family?: string | null;
                    key: string;
                    /** @description number only */
                    max?: number;
                    /** @description number only */
                    min?: number;
                    /** @description omitted or empty: any period, no age constraint */
                    periods?: {
                        /** @enum {string} */
                        basis: "age" | "grade";
                        description?: string | null;
                        /** @description basis grade only */
                        early_years?: number;
                        from_months: number;
                        /** @description basis grade only (0 = børnehaveklasse) */
                        grade?: number;
                        /** @description basis grade only */
                        late_years?: number;
                        period: string;
                        to_months: number;
                        /** @description when it is usually measured; default from_months */
                        typical_months?: number;
                        valid_from?: string | null;
                        valid_to?: string | null;
                    }[];
                    /** @description e.g. municipality, stil, star, dst, institution */
                    source?: string | null;
                    /** @enum {string} */
                    type: "enum" | "number" | "boolean";
                    unit?: string | null;
                    /** @description first date a measured_on may have */
                    valid_from?: string | null;
                    /** @description measured_on must be before this date */
                    valid_to?: string | null;
                    /** @description enum only */
                    values?: string[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeasurementKind"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; body.key: a measurement kind with this key exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.values: values are for enum kinds only and required there; min not above max; periods and validity dates must fit. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getMeasurementKindsByKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeasurementKind"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    putMeasurementKindsByKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    family?: string | null;
                    /** @description number only */
                    max?: number;
                    /** @description number only */
                    min?: number;
                    /** @description omitted or empty: any period, no age constraint */
                    periods?: {
                        /** @enum {string} */
                        basis: "age" | "grade";
                        description?: string | null;
                        /** @description basis grade only */
                        early_years?: number;
                        from_months: number;
                        /** @description basis grade only (0 = børnehaveklasse) */
                        grade?: number;
                        /** @description basis grade only */
                        late_years?: number;
                        period: string;
                        to_months: number;
                        /** @description when it is usually measured; default from_months */
                        typical_months?: number;
                        valid_from?: string | null;
                        valid_to?: string | null;
                    }[];
                    /** @description e.g. municipality, stil, star, dst, institution */
                    source?: string | null;
                    /** @enum {string} */
                    type: "enum" | "number" | "boolean";
                    unit?: string | null;
                    /** @description first date a measured_on may have */
                    valid_from?: string | null;
                    /** @description measured_on must be before this date */
                    valid_to?: string | null;
                    /** @description enum only */
                    values?: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeasurementKind"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: params.key: The measurement kind cannot be replaced: measurements of it are stored (or a rule uses it).. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: body.values: values are for enum kinds only and required there; min not above max; periods and validity dates must fit. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postMeasurementKindsByKeyPeriods: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        /** @description A period to declare (see MeasurementPeriod). */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    basis: "age" | "grade";
                    description?: string | null;
                    /** @description basis grade only */
                    early_years?: number;
                    from_months: number;
                    /** @description basis grade only (0 = børnehaveklasse) */
                    grade?: number;
                    /** @description basis grade only */
                    late_years?: number;
                    period: string;
                    to_months: number;
                    /** @description when it is usually measured; default from_months */
                    typical_months?: number;
                    valid_from?: string | null;
                    valid_to?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeasurementPeriod"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; body.period: the kind has a period with this name. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.to_months: the range, grade, typical age or early/late years do not fit the basis. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getMeasurements: {
        parameters: {
            query?: {
                child_id?: string;
                cursor?: string;
                kind?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Measurement"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postMeasurements: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    child_id?: string;
                    child_ref?: string;
                    cpr?: string;
                    kind: string;
                    measured_on: string;
                    period: string;
                    source?: string | null;
                    value: string | number | boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        measurement: components["schemas"]["Measurement"];
                        /** @enum {string} */
                        outcome: "accepted" | "corrected" | "unchanged" | "retracted";
                    };
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        measurement: components["schemas"]["Measurement"];
                        /** @enum {string} */
                        outcome: "accepted" | "corrected" | "unchanged" | "retracted";
                    };
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; body.kind: this integration may not submit this kind's measurements. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.kind: unknown measurement kind; body.child_id: unknown child, or a child with no enrolment at an institution in this key's scope; body.value: must fit the kind (an allowed value, a number within min and max, a boolean); body.measured_on: may not be before the child’s birth or in the future. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getMeasurementsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Measurement"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postMeasurementsBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown[];
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: ({
                            index: number;
                            /** Format: uuid */
                            measurement_id: string;
                            /** @enum {string} */
                            outcome: "accepted" | "corrected" | "unchanged";
                        } | {
                            index: number;
                            /** @enum {string} */
                            outcome: "rejected";
                            problem: {
                                detail: string;
                                errors: {
                                    field: string;
                                    message: string;
                                }[];
                                status: number;
                                title: string;
                            };
                        })[];
                        summary: {
                            accepted: number;
                            corrected: number;
                            rejected: number;
                            total: number;
                            unchanged: number;
                        };
                    };
                    "application/x-ndjson": string;
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            409: components["responses"]["IdempotencyInProgress"];
            /** @description Payload too large: the body is larger than BODY_LIMIT_BYTES; an NDJSON batch whose Content-Length is over NDJSON_MAX_BODY_BYTES (refused before anything is read; a streamed batch that crosses NDJSON_MAX_BODY_BYTES or NDJSON_MAX_ITEMS is processed up to the limit and its 200 answer ends with an `error` line carrying this problem). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postMeasurementsRetract: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    child_id?: string;
                    child_ref?: string;
                    cpr?: string;
                    kind: string;
                    period: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        measurement: components["schemas"]["Measurement"];
                        /** @enum {string} */
                        outcome: "accepted" | "corrected" | "unchanged" | "retracted";
                    };
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; body.kind: this integration may not submit this kind's measurements. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found: body.period: The measurement was not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.child_id: unknown child, or a child with no enrolment at an institution in this key's scope; body.child_ref: unknown child, or a child with no enrolment at an institution in this key's scope; body.cpr: is not a valid CPR number. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postObjectionsByIdResolve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    outcome: "upheld" | "rejected" | "withdrawn";
                    resolution?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Objection"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; params.id: the objection is already resolved. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    listPendingPayeeDetails: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["PayeeDetails"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    approvePayeeDetails: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PayeeDetails"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    rejectPayeeDetails: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PayeeDetails"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    listPaymentRuns: {
        parameters: {
            query?: {
                cursor?: string;
                fund_id?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["PaymentRun"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPaymentRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentRun"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    cancelPaymentRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentRun"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; params.id: the run is confirmed (or cancelled). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    confirmPaymentRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentRun"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; params.id: the run is confirmed (or cancelled). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPaymentRunCsv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPaymentRunPain001: {
        parameters: {
            query?: {
                /** @description Requested execution date; default today, not in the past */
                execution_date?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
            /** @description Bad request: a query parameter is unknown or does not match the schema; a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: see the operation’s description. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            414: components["responses"]["PathParameterTooLong"];
            /** @description Unprocessable content: see the operation’s description. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getReportsOutcomes: {
        parameters: {
            query?: {
                fund_id?: string;
                group_by?: "origin" | "municipality" | "institution_kind" | "institution" | "birth_year";
                rule_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutcomeReport"];
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: the key’s role may not do this; The key names no existing institution.. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable content: query.fund_id: unknown fund; query.rule_id: unknown rule; query.rule_id: unknown rule, or one that does not pay this institution. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getRuleTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["RuleTemplate"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getRuleTemplatesByKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RuleTemplate"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postRuleTemplatesByKeyRules: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    fund_id: string;
                    name?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rule"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.fund_id: unknown fund; body.requires.language.kind: a kind the template needs is not installed (the catalogue was changed). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getRules: {
        parameters: {
            query?: {
                cursor?: string;
                fund_id?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Rule"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    fund_id: string;
                    /** @description A single-kind rule’s triggering kind (SETTLEMENT.md §3); or give requires. */
                    kind?: string;
                    name?: string;
                    periods?: string[] | null;
                    requires?: components["schemas"]["RuleRequirementsInput"];
                    versions: components["schemas"]["RuleVersionInput"][];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rule"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.fund_id: unknown fund; body.kind: unknown measurement kind, or neither kind nor requires given; body.requires: both kind and requires given, two requirements of the same {kind, period}, or an unknown kind; body.versions.0.predicates: predicates that do not match the requirement names; body.versions.0.amount: a value-based amount on a composite rule; body.versions.0.windows: shares above 10000 in total, to not above from, an unknown institution kind, or a predicate that does not fit the kind. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getRulesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rule"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    putRulesByIdAssumedRate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string | null;
                    /** @description Decimal 0–1 with at most 4 places, e.g. "0.45"; null clears it (the default 0.5 applies) */
                    rate: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rate: string | null;
                        /** Format: uuid */
                        rule_id: string;
                    };
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            /** @description Not found: the object named in the path does not exist (or is not visible to this key); The rule was not found.. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: body.rate: must be a decimal from 0 to 1. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getRulesByIdPending: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["PendingChild"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Bad request: a query parameter is unknown or does not match the schema; a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    postRulesByIdVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RuleVersionInput"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rule"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: a request with the same Idempotency-Key is still being processed; body.effective_from: a version with this effective_from exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: the Idempotency-Key was used before with a different request; body.effective_from: must be later than the latest version; body.windows: shares above 10000 in total, to not above from, an unknown institution kind, or a predicate that does not fit the kind. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getSettlementStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        idle: boolean;
                        /** @description Journal entries appended but not yet sealed into the hash chain (docs/LEDGER.md) */
                        ledger_unsealed: number;
                        outbox_pending: number;
                        queue: {
                            active: number;
                            delayed: number;
                            failed: number;
                            waiting: number;
                        };
                        /** @description true when the backlog is larger than 10,000 and `unsettled_measurements` is PostgreSQL's live-row statistic rather than an exact count */
                        unsettled_estimated: boolean;
                        unsettled_measurements: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    listWebhookSubscriptions: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WebhookSubscription"][];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidQueryParameter"];
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: see the operation’s description. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    createWebhookSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    events: ("measurement.settled" | "measurement.refused" | "award.computed" | "award.changed" | "award.finalised" | "objection.opened" | "objection.resolved" | "payment_run.created" | "payment_run.confirmed" | "payment_line.returned")[];
                    /** @description Admin only: limit the subscription to this institution’s events */
                    institution?: string | null;
                    /**
                     * @description Where events are POSTed (https in production; no private or loopback address)
                     * @example https://example.org/hooks/smb
                     */
                    url: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSubscriptionCreated"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getWebhookSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSubscription"];
                };
            };
            400: components["responses"]["InvalidPathParameter"];
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: see the operation’s description. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    updateWebhookSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    /** @description false disables; true enables again and retries pending deliveries now */
                    enabled?: boolean;
                    events?: ("measurement.settled" | "measurement.refused" | "award.computed" | "award.changed" | "award.finalised" | "objection.opened" | "objection.resolved" | "payment_run.created" | "payment_run.confirmed" | "payment_line.returned")[];
                    /**
                     * @description Where events are POSTed (https in production; no private or loopback address)
                     * @example https://example.org/hooks/smb
                     */
                    url?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSubscription"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Unprocessable content: see the operation’s description. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WebhookDelivery"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Bad request: a query parameter is unknown or does not match the schema; a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: see the operation’s description. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    redeliverWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deliveryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    getWebhookLog: {
        parameters: {
            query?: {
                cursor?: string;
                delivery_id?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WebhookLogEntry"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Bad request: a query parameter is unknown or does not match the schema; a path parameter does not match the schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description Forbidden: see the operation’s description. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            414: components["responses"]["PathParameterTooLong"];
            422: components["responses"]["InvalidCursor"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description How long the current secret keeps signing beside the new one (hours; default WEBHOOK_SECRET_OVERLAP_HOURS, 24). 0 retires it now (a leaked secret). */
                    overlap_hours?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSubscriptionRotated"];
                };
            };
            /** @description Bad request: the body is not valid JSON; a body field does not match the schema (or cannot be stored: NUL, a lone surrogate); a path parameter does not match the schema; the Idempotency-Key header is malformed (or given with a streamed body). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenRole"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["IdempotencyInProgress"];
            413: components["responses"]["BodyTooLarge"];
            414: components["responses"]["PathParameterTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyMismatch"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["Unavailable"];
        };
    };
    webhookAwardChanged: {
        parameters: {
            query?: never;
            header: {
                /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
                "webhook-id": components["parameters"]["WebhookId"];
                /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
                "webhook-signature": components["parameters"]["WebhookSignature"];
                /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The event (Standard Webhooks’ `{type, timestamp, data}`), the same bytes on every attempt. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AwardChangedEvent"];
            };
        };
        responses: {
            /** @description Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookAwardComputed: {
        parameters: {
            query?: never;
            header: {
                /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
                "webhook-id": components["parameters"]["WebhookId"];
                /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
                "webhook-signature": components["parameters"]["WebhookSignature"];
                /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The event (Standard Webhooks’ `{type, timestamp, data}`), the same bytes on every attempt. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AwardComputedEvent"];
            };
        };
        responses: {
            /** @description Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookAwardFinalised: {
        parameters: {
            query?: never;
            header: {
                /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
                "webhook-id": components["parameters"]["WebhookId"];
                /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
                "webhook-signature": components["parameters"]["WebhookSignature"];
                /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The event (Standard Webhooks’ `{type, timestamp, data}`), the same bytes on every attempt. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AwardFinalisedEvent"];
            };
        };
        responses: {
            /** @description Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookMeasurementRefused: {
        parameters: {
            query?: never;
            header: {
                /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
                "webhook-id": components["parameters"]["WebhookId"];
                /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
                "webhook-signature": components["parameters"]["WebhookSignature"];
                /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The event (Standard Webhooks’ `{type, timestamp, data}`), the same bytes on every attempt. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["MeasurementRefusedEvent"];
            };
        };
        responses: {
            /** @description Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookMeasurementSettled: {
        parameters: {
            query?: never;
            header: {
                /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
                "webhook-id": components["parameters"]["WebhookId"];
                /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
                "webhook-signature": components["parameters"]["WebhookSignature"];
                /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The event (Standard Webhooks’ `{type, timestamp, data}`), the same bytes on every attempt. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["MeasurementSettledEvent"];
            };
        };
        responses: {
            /** @description Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookObjectionOpened: {
        parameters: {
            query?: never;
            header: {
                /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
                "webhook-id": components["parameters"]["WebhookId"];
                /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
                "webhook-signature": components["parameters"]["WebhookSignature"];
                /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The event (Standard Webhooks’ `{type, timestamp, data}`), the same bytes on every attempt. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ObjectionOpenedEvent"];
            };
        };
        responses: {
            /** @description Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookObjectionResolved: {
        parameters: {
            query?: never;
            header: {
                /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
                "webhook-id": components["parameters"]["WebhookId"];
                /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
                "webhook-signature": components["parameters"]["WebhookSignature"];
                /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The event (Standard Webhooks’ `{type, timestamp, data}`), the same bytes on every attempt. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ObjectionResolvedEvent"];
            };
        };
        responses: {
            /** @description Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookPaymentLineReturned: {
        parameters: {
            query?: never;
            header: {
                /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
                "webhook-id": components["parameters"]["WebhookId"];
                /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
                "webhook-signature": components["parameters"]["WebhookSignature"];
                /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The event (Standard Webhooks’ `{type, timestamp, data}`), the same bytes on every attempt. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["PaymentLineReturnedEvent"];
            };
        };
        responses: {
            /** @description Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookPaymentRunConfirmed: {
        parameters: {
            query?: never;
            header: {
                /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
                "webhook-id": components["parameters"]["WebhookId"];
                /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
                "webhook-signature": components["parameters"]["WebhookSignature"];
                /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The event (Standard Webhooks’ `{type, timestamp, data}`), the same bytes on every attempt. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["PaymentRunConfirmedEvent"];
            };
        };
        responses: {
            /** @description Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookPaymentRunCreated: {
        parameters: {
            query?: never;
            header: {
                /** @description The event’s id (`evt_` + 32 hex digits): the same on every attempt and redelivery, and for every subscription sent the event. Deduplicate by it: the service delivers at least once. */
                "webhook-id": components["parameters"]["WebhookId"];
                /** @description Standard Webhooks signature(s), space-separated, each `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) over the raw body bytes. The key is the subscription’s secret as the service issues it (`whsec_` + base64, shown once by `POST /v1/webhooks` and `POST /v1/webhooks/{id}/rotate-secret`), base64-decoded after the `whsec_` prefix. Accept the message if any signature matches, compared in constant time: during a secret rotation’s overlap there are two (the new and the previous secret). Any Standard Webhooks library does all this, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. */
                "webhook-signature": components["parameters"]["WebhookSignature"];
                /** @description When this attempt was signed, in whole seconds since the Unix epoch (part of the signed content). Refuse a message whose timestamp is far from your clock (the Standard Webhooks libraries allow 5 minutes) to stop replays. */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The event (Standard Webhooks’ `{type, timestamp, data}`), the same bytes on every attempt. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["PaymentRunCreatedEvent"];
            };
        };
        responses: {
            /** @description Delivered: any 2xx status (the answer’s body is ignored). The event is not sent again unless redelivered by hand. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status (a redirect is not followed), no answer, or a target refused at connection (SSRF). Not delivered: retried. An attempt that is not answered 2xx within 10 s (WEBHOOK_TIMEOUT_MS) fails and is retried with exponential back-off: the n-th failure waits 1 min · 2^(n−1), at most 6 h, until the delivery has failed for 24 h since its first attempt (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_WINDOW_MS; production refuses a window under 24 h). With the defaults the waits are 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min, 256 min, then 6 h 3 times: 13 attempts, the last 26.5 h after the first. Then the delivery is given up (failed); if nothing reached the endpoint in that time either, the subscription is disabled with a notice in its log until `PATCH /v1/webhooks/{id} {"enabled": true}`. `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` sends one again. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
