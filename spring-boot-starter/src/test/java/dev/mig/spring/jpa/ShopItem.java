package dev.mig.spring.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entity on a table the plan creates: Hibernate's schema validation fails if JPA starts before mig. */
@Entity
@Table(name = "shop_items")
public class ShopItem {
    @Id
    Long id;
    String name;
}
