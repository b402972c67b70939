package dev.mig.spring;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.boot.sql.init.dependency.DatabaseInitializerDetector;

import java.util.Set;

/**
 * Tells Spring Boot that a {@link MigInitializer} initialises the database, so that beans that
 * depend on database initialisation (JPA's EntityManagerFactory, JdbcTemplate users, ...) are
 * created after it: the way Flyway's and Liquibase's auto-configurations order themselves.
 */
public class MigDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector
        implements DatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(MigInitializer.class);
    }
}
