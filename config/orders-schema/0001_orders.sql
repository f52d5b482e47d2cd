-- seckill's system of record, version 1: every order, every transition, and how far each
-- Redis order stream has been read. Applied by `seckill-orders --init-schema` in one
-- transaction, with the version recorded in seckill_schema.

CREATE TABLE seckill_schema (
  version    integer     PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- One row per order, at its latest version (a transition with a lower version never overwrites
-- a higher one, so redelivered or reordered events change nothing).
CREATE TABLE orders (
  order_id   text    PRIMARY KEY,           -- "<product>-<seq>"
  product_id bigint  NOT NULL,
  user_id    bigint  NOT NULL,
  request_id text    NOT NULL DEFAULT '',
  state      text    NOT NULL,              -- pending_payment paid confirmed expired cancelled
  version    integer NOT NULL,
  pay_by_ms  bigint  NOT NULL DEFAULT 0,    -- 0: no payment step
  payment_id text    NOT NULL DEFAULT '',
  amount     bigint  NOT NULL DEFAULT 0,    -- paid, in minor units
  created_ms bigint  NOT NULL,
  updated_ms bigint  NOT NULL
);
CREATE INDEX orders_by_product_state ON orders (product_id, state);

-- Every entry of every order stream, once: created, paid, expired, cancelled, refund_due.
CREATE TABLE order_events (
  stream     text    NOT NULL,              -- the Redis stream it came from
  entry_id   text    NOT NULL,              -- its stream entry id
  order_id   text    NOT NULL,
  event      text    NOT NULL,
  version    integer NOT NULL,
  user_id    bigint  NOT NULL,
  time_ms    bigint  NOT NULL,
  payment_id text    NOT NULL DEFAULT '',
  amount     bigint  NOT NULL DEFAULT 0,
  PRIMARY KEY (stream, entry_id)
);
CREATE INDEX order_events_by_order ON order_events (order_id);

-- How far each stream is in: written in the same transaction as the rows it covers.
CREATE TABLE read_positions (
  stream     text        PRIMARY KEY,
  last_id    text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- An order id that arrived with another user or request than the one stored: only a failover
-- that lost a stream's tail (and sold the ids again) makes one. Never overwritten: kept here
-- for the operator, counted and alarmed by seckill-orders.
CREATE TABLE order_conflicts (
  order_id        text        NOT NULL,
  stream          text        NOT NULL,
  entry_id        text        NOT NULL,
  stored_user_id  bigint      NOT NULL,
  stored_request  text        NOT NULL,
  arrived_user_id bigint      NOT NULL,
  arrived_request text        NOT NULL,
  seen_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream, entry_id)
);
