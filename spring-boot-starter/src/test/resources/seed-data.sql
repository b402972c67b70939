INSERT INTO shop_items (id, name) VALUES (1, 'seeded by spring.sql.init');
