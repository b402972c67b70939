package dev.mig.dsl

import dev.mig.catalog.CatalogView
import groovy.transform.stc.ClosureParams
import spock.lang.Specification

import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.lang.reflect.Parameter
import java.nio.file.FileSystem
import java.nio.file.FileSystems
import java.nio.file.Files
import java.nio.file.Path

/** What IDEs (and mig check --strict) read: @DelegatesTo on every block, and the shipped descriptors. */
class IdeSupportSpec extends Specification {

    private static List<Class<?>> classes

    /**
     * Every class of dev.mig.dsl, found on the classpath (a new one is covered without a change here);
     * read once per JVM: specs running in parallel (DslUsageSpec) ask too, and a jar's file system
     * can be opened only once at a time.
     */
    static synchronized List<Class<?>> dslClasses() {
        if (classes == null) {
            classes = readDslClasses()
        }
        classes
    }

    private static List<Class<?>> readDslClasses() {
        URI uri = MigScript.getResource('MigScript.class').toURI()
        // mig-core's classes folder (mvn test, an IDE) or its jar (mvn verify: the reactor hands the packaged jar)
        FileSystem jar = uri.scheme == 'jar' ? FileSystems.newFileSystem(uri, [:]) : null
        try {
            List<String> names = Files.list(Path.of(uri).parent).withCloseable { s ->
                s.map { it.fileName.toString() }.filter { it.endsWith('.class') && !it.contains('$') }.sorted().toList()
            }
            names.collect { String n -> (Class<?>) Class.forName("dev.mig.dsl.${n - '.class'}") }
        } finally {
            jar?.close()
        }
    }

    /** Public methods of the DSL classes with a Closure parameter, as "Class.method(Types)", with that parameter. */
    static Map<String, Parameter> closureParameters() {
        Map<String, Parameter> found = [:]
        for (Class<?> c : dslClasses()) {
            for (Method m : c.declaredMethods) {
                if (!Modifier.isPublic(m.modifiers) || m.synthetic) {
                    continue
                }
                for (Parameter p : m.parameters) {
                    if (Closure.isAssignableFrom(p.type)) {
                        found["${c.simpleName}.${m.name}(${m.parameterTypes*.simpleName.join(', ')})".toString()] = p
                    }
                }
            }
        }
        found
    }

    def "the reflection finds the DSL's blocks"() {
        expect:
        closureParameters().size() >= 15
        closureParameters().containsKey('StepDelegate.groovy(Closure)')
        closureParameters().containsKey('MigScript.recipe(String, Closure)')
        closureParameters().containsKey('TableDelegate.column(String, Closure)')
    }

    def "every public DSL method taking a closure declares @DelegatesTo with a type and DELEGATE_FIRST"() {
        given:
        List<String> missing = []
        closureParameters().each { String where, Parameter p ->
            DelegatesTo d = p.getAnnotation(DelegatesTo)
            if (d == null) {
                missing << "${where}: no @DelegatesTo".toString()
            } else if (d.value() == DelegatesTo.Target || d.strategy() != Closure.DELEGATE_FIRST) {
                missing << "${where}: @DelegatesTo needs a type and strategy = Closure.DELEGATE_FIRST".toString()
            }
        }

        expect:
        missing == []
    }

    def "guards, expect and groovy blocks delegate to the catalog view; groovy's parameter is a groovy.sql.Sql"() {
        expect:
        delegateOf(StepDelegate.getMethod('guard', Closure)) == CatalogView
        delegateOf(StepDelegate.getMethod('guard', Map, Closure)) == CatalogView
        delegateOf(VerifyDelegate.getMethod('expect', String, Closure)) == CatalogView
        delegateOf(StepDelegate.getMethod('groovy', Closure)) == CatalogView
        StepDelegate.getMethod('groovy', Closure).parameters[0].getAnnotation(ClosureParams).options() == ['groovy.sql.Sql'] as String[]
    }

    static Class<?> delegateOf(Method m) {
        m.parameters.find { Closure.isAssignableFrom(it.type) }.getAnnotation(DelegatesTo).value()
    }

    def "the IntelliJ descriptor is on the classpath and parses as Groovy"() {
        when:
        String text = IdeSupportSpec.getResource('/mig.gdsl').getText('UTF-8')
        new GroovyShell().parse(text, 'mig.gdsl')

        then:
        noExceptionThrown()
        text.contains("superClass: 'dev.mig.dsl.PlanScript'")
        text.contains("superClass: 'dev.mig.dsl.RecipeScript'")
    }

    def "the Eclipse descriptor is on the classpath under dsld/ and parses as Groovy"() {
        when:
        String text = IdeSupportSpec.getResource('/dsld/mig.dsld').getText('UTF-8')
        new GroovyShell().parse(text, 'mig.dsld')

        then:
        noExceptionThrown()
        text.contains("delegatesTo type: 'dev.mig.dsl.PlanScript'")
    }

    def "every class the descriptors name exists"() {
        given:
        List<String> named = ['/mig.gdsl', '/dsld/mig.dsld'].collectMany { String r ->
            (IdeSupportSpec.getResource(r).getText('UTF-8') =~ /'(dev\.mig\.[\w.]+)'/).collect { it[1] }
        }

        expect:
        named.size() >= 3
        named.every { Class.forName(it) }
    }
}
