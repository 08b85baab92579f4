-- Payment orders of dossiers (issue #7). One order pays a dossier's whole fee; `amount` is
-- whole đồng. `status`: pending → paid | failed | cancelled | expired; `late_paid` is a
-- payment the gateway confirmed after the order had left `pending` (expired, cancelled, or
-- another order paid first): kept for refund follow-up. `method`: online | counter.
-- Numbered 0020 so that it never clashes with the back office's migrations (0011+).
CREATE TABLE payments (
    id               TEXT PRIMARY KEY,
    dossier_id       TEXT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    amount           BIGINT NOT NULL CHECK (amount >= 0),
    txn_ref          TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL,
    method           TEXT NOT NULL,
    receipt_no       TEXT,
    gateway_txn_no   TEXT,
    bank_code        TEXT,
    response_code    TEXT,
    gateway_date     TEXT NOT NULL DEFAULT '',
    created_by       TEXT REFERENCES users (id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    settled_at       BIGINT
);
-- one pending order per dossier: a double click, a reload or a second tab reuse it
CREATE UNIQUE INDEX payments_one_pending ON payments (dossier_id) WHERE status = 'pending';
-- one settled payment per dossier: nobody is charged twice (a second one is late_paid)
CREATE UNIQUE INDEX payments_one_paid ON payments (dossier_id) WHERE status = 'paid';
CREATE INDEX payments_status ON payments (status, created_at);
