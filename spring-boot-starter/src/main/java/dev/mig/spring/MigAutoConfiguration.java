package dev.mig.spring;

import dev.mig.Mig;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code mig.plans} on the application's DataSource (or on {@code mig.url}) at start-up,
 * after the DataSource is configured and before JPA and other database initialisers, as Spring
 * Boot's Flyway support does: {@link MigDatabaseInitializerDetector} makes the
 * {@link MigInitializer} a database initialiser, and {@link DatabaseInitializationDependencyConfigurer}
 * makes the beans that need the database depend on it. Backs off when the application defines its
 * own {@link MigInitializer}; a {@link MigStrategy} bean replaces what is done with each plan.
 */
// as Flyway's: after JPA's configuration too, since the order of creation comes from the detector, not from here
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration"})
@ConditionalOnClass(Mig.class)
@ConditionalOnProperty(prefix = "mig", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(MigProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public class MigAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(MigInitializer.class)
    public MigInitializer migInitializer(MigProperties properties, ObjectProvider<DataSource> dataSource,
                                         @MigDataSource ObjectProvider<DataSource> migDataSource,
                                         ObjectProvider<MigStrategy> strategy, ListableBeanFactory beans,
                                         ResourceLoader resourceLoader) {
        List<MigInitializer.Target> targets = new ArrayList<>();
        if (properties.getUrl() != null) {
            PGSimpleDataSource own = new PGSimpleDataSource();
            own.setUrl(properties.getUrl());
            if (properties.getUser() != null) {
                own.setUser(properties.getUser());
            }
            if (properties.getPassword() != null) {
                own.setPassword(properties.getPassword());
            }
            targets.add(new MigInitializer.Target("mig.url", own, properties.getPlans()));
        } else if (!properties.getPlans().isEmpty()) {
            DataSource marked = migDataSource.getIfAvailable();
            DataSource application = marked != null ? marked : dataSource.getIfUnique();
            if (application == null) {
                throw new MigStartupException("mig: no single DataSource to run " + properties.getPlans() + " on: define one,"
                        + " mark one @MigDataSource, set mig.url, or name DataSource beans in mig.data-sources.NAME and set mig.plans to nothing", null);
            }
            targets.add(new MigInitializer.Target(marked != null ? "the @MigDataSource DataSource" : "the application's DataSource",
                    application, properties.getPlans()));
        }
        for (Map.Entry<String, List<String>> named : properties.getDataSources().entrySet()) {
            if (!beans.containsBean(named.getKey())) {
                throw new MigStartupException("mig: mig.data-sources." + named.getKey() + " names no DataSource bean", null);
            }
            targets.add(new MigInitializer.Target("DataSource '" + named.getKey() + "'",
                    beans.getBean(named.getKey(), DataSource.class), named.getValue()));
        }
        return new MigInitializer(targets, properties, strategy.getIfAvailable(() -> MigStrategy.of(properties.getMode())),
                resourceLoader.getClassLoader());
    }
}
