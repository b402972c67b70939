CREATE TABLE parcels (id bigint PRIMARY KEY, weight numeric NOT NULL);
