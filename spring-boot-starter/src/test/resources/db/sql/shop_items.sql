CREATE TABLE shop_items (id bigint PRIMARY KEY, name text NOT NULL);
