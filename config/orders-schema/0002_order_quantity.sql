-- seckill's system of record, version 2: an order may be of several units, bought at once
-- (`quantity` on /seckill). Orders stored before it were of one unit each.

ALTER TABLE orders ADD COLUMN quantity integer NOT NULL DEFAULT 1 CHECK (quantity > 0);
