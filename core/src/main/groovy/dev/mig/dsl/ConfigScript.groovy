package dev.mig.dsl

import dev.mig.config.ConfigDsl

/**
 * The base class of {@code mig.groovy}: {@code environments { dev { url '...' } }}. Running the
 * script only records each environment's block; {@link dev.mig.config.ConfigFile} runs the one
 * chosen with {@code --env}, so that another environment's missing variable is no error.
 */
abstract class ConfigScript extends Script {

    private ConfigDsl.Collector collector() {
        (ConfigDsl.Collector) binding.getVariable(ConfigDsl.BINDING_NAME)
    }

    /** {@code environments { dev { url '...' } }}: each name is an environment, its block its settings. */
    void environments(@DelegatesTo(value = ConfigDsl.Collector, strategy = Closure.DELEGATE_FIRST) Closure body) {
        body.delegate = collector()
        body.resolveStrategy = Closure.DELEGATE_FIRST
        body.call()
    }

    /** {@code fleets { customers { urls '...' } }}: each name is a fleet of tenant databases (mig run --fleet NAME). */
    void fleets(@DelegatesTo(value = ConfigDsl.Collector, strategy = Closure.DELEGATE_FIRST) Closure body) {
        body.delegate = binding.getVariable(ConfigDsl.FLEETS_BINDING_NAME)
        body.resolveStrategy = Closure.DELEGATE_FIRST
        body.call()
    }

    /** The value of an environment variable; a missing or empty one is an error at this line. */
    Object env(String name) {
        collector().env(name)
    }
}
