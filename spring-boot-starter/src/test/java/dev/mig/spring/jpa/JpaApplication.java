package dev.mig.spring.jpa;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** The application's own configuration: its package is where JPA looks for entities. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class JpaApplication {
}
