package dev.mig

import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Path
import java.util.spi.ToolProvider

/**
 * One-way package layers (issue 12): read from the compiled main classes with jdeps, so the
 * layering cannot rot again. A class may depend on its own layer and lower ones; no package cycle.
 */
class ArchitectureSpec extends Specification {

    /** Bottom to top. A package not listed fails the spec: place it where its dependencies put it. */
    static final List<List<String>> LAYERS = [
            ['dev.mig.api'],                                        // locations, exit codes, exceptions, version
            ['dev.mig.text'],                                       // pure text helpers
            ['dev.mig.sql'],                                        // SQL text: lexer, splitter, statement kinds
            ['dev.mig.model'],                                      // the plan as data
            ['dev.mig.result'],                                     // what a run did: typed results
            ['dev.mig.catalog', 'dev.mig.target'],                  // catalog reads, connections
            ['dev.mig.plan'],                                       // compiler, loader, validation, recipes
            ['dev.mig.config'],                                     // mig.groovy environments (compiled by plan)
            ['dev.mig.dsl'],                                        // the Groovy script bases and delegates
            ['dev.mig.verify', 'dev.mig.diagnose', 'dev.mig.journal'],
            ['dev.mig.run'],                                        // the engine
            ['dev.mig.lifecycle'],                                  // per-command services over the engine
            ['dev.mig.lint'],
            ['dev.mig.report'],
            ['dev.mig'],                                            // the library facade
            ['dev.mig.spring', 'dev.mig.fleet'],                    // the Spring Boot starter; fleets of tenant databases
            ['dev.mig.imports'],                                    // mig import: a schema into plan text
            ['dev.mig.embedded'],                                   // embedded PostgreSQL (io.zonky)
            ['dev.mig.testkit', 'dev.mig.rehearse'],
            ['dev.mig.cli'],                                        // picocli, on top
    ]

    /** What the core artifact is built from may not reference these (class name prefixes). */
    static final List<String> NOT_IN_CORE = ['picocli.', 'io.zonky.', 'org.testcontainers.', 'org.slf4j.nop.',
                                             'org.slf4j.helpers.NOP', 'dev.mig.cli.', 'dev.mig.rehearse.',
                                             'dev.mig.embedded.', 'dev.mig.testkit.']

    static final Set<String> ABOVE_CORE = ['dev.mig.cli', 'dev.mig.rehearse', 'dev.mig.embedded', 'dev.mig.testkit'] as Set

    /** One class of each part of the build: their class folders or jars are what is read. */
    static final List<String> ANCHORS = ['dev.mig.api.ExitCode', 'dev.mig.Mig', 'dev.mig.dsl.PlanScript',
                                         'dev.mig.embedded.EmbeddedServer', 'dev.mig.testkit.MigTestDatabase',
                                         'dev.mig.rehearse.Rehearsal', 'dev.mig.cli.Main', 'dev.mig.spring.MigStartupException']

    @Shared
    PackageGraph graph = PackageGraph.of(jdepsEdges(classLocations()))

    def "the main classes were read, the Groovy DSL and the command line among them"() {
        expect:
        graph.packages().containsAll(['dev.mig.api', 'dev.mig', 'dev.mig.dsl', 'dev.mig.cli', 'dev.mig.testkit', 'dev.mig.spring'])
    }

    def "no package cycle among dev.mig packages"() {
        when:
        List<String> problems = graph.cycles()

        then:
        assert problems.isEmpty(), problems.join('\n')
    }

    def "every package sits in a layer and depends only on its own layer and lower ones"() {
        when:
        List<String> problems = graph.layerViolations(LAYERS)

        then:
        assert problems.isEmpty(), problems.join('\n')
    }

    def "the core references no command line, embedded server, container or logging binding"() {
        when:
        List<String> problems = graph.forbidden({ String pkg -> !ABOVE_CORE.contains(pkg) }, NOT_IN_CORE)

        then:
        assert problems.isEmpty(), problems.join('\n')
    }

    // the checks themselves, on made-up graphs, so that they can fail

    def "a made-up cycle is reported with its packages and the class edges that make it"() {
        given:
        def made = PackageGraph.of([
                ['dev.mig.a.A1', 'dev.mig.b.B1'],
                ['dev.mig.b.B1', 'dev.mig.c.C1'],
                ['dev.mig.c.C2', 'dev.mig.a.A2'],
                ['dev.mig.c.C1', 'dev.mig.d.D1'],
        ])

        expect:
        made.cycles() == ['package cycle: dev.mig.a -> dev.mig.b -> dev.mig.c -> dev.mig.a\n'
                                  + '  dev.mig.a.A1 -> dev.mig.b.B1\n'
                                  + '  dev.mig.b.B1 -> dev.mig.c.C1\n'
                                  + '  dev.mig.c.C2 -> dev.mig.a.A2']
        PackageGraph.of([['dev.mig.a.A', 'dev.mig.b.B'], ['dev.mig.a.A', 'dev.mig.a.A$1']]).cycles().isEmpty()
    }

    def "a made-up upward edge and an unplaced package are reported; an empty layer is not"() {
        given:
        def made = PackageGraph.of([
                ['dev.mig.low.L', 'dev.mig.high.H'],
                ['dev.mig.high.H', 'dev.mig.low.L'],
                ['dev.mig.high.H', 'dev.mig.stray.S'],
        ])

        expect:
        made.layerViolations([['dev.mig.low'], ['dev.mig.empty'], ['dev.mig.high']]) == [
                'dev.mig.low depends on dev.mig.high, a higher layer:\n  dev.mig.low.L -> dev.mig.high.H',
                'place package dev.mig.stray in a layer (ArchitectureSpec.LAYERS)',
        ]
    }

    def "a made-up core class that references picocli or the command line is reported"() {
        given:
        def made = PackageGraph.of([
                ['dev.mig.run.R', 'picocli.CommandLine'],
                ['dev.mig.run.R', 'dev.mig.cli.Main'],
                ['dev.mig.run.R', 'org.slf4j.Logger'],
                ['dev.mig.cli.Main', 'picocli.CommandLine'],
        ])

        expect:
        made.forbidden({ String pkg -> !ABOVE_CORE.contains(pkg) }, NOT_IN_CORE) == [
                'core class dev.mig.run.R references picocli.CommandLine',
                'core class dev.mig.run.R references dev.mig.cli.Main',
        ]
    }

    /** Where the main classes are (a class folder or a jar each), from the class path, not target/classes. */
    static List<Path> classLocations() {
        ANCHORS.collect { String name ->
            Class<?> c = Class.forName(name, false, ArchitectureSpec.classLoader)
            Path.of(c.protectionDomain.codeSource.location.toURI())
        }.unique()
    }

    static List<List<String>> jdepsEdges(List<Path> locations) {
        ToolProvider jdeps = ToolProvider.findFirst('jdeps').orElseThrow { new IllegalStateException('this JDK has no jdeps') }
        def out = new StringWriter()
        def err = new StringWriter()
        String[] args = ['-verbose:class', '-filter:none'] + locations*.toString()
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(err), args)
        assert code == 0, "jdeps ${args.join(' ')} failed: ${err}"
        out.toString().readLines().findResults { String line ->
            def m = line =~ /^\s+(dev\.mig\.\S+)\s+->\s+(\S+)/
            m.find() ? [m.group(1), m.group(2)] : null
        }
    }

    /** Class-level dependencies of dev.mig classes, and the checks on them. */
    static class PackageGraph {

        private final List<List<String>> classEdges
        /** package -> package it depends on -> the class edges that make the dependency */
        private final Map<String, Map<String, SortedSet<String>>> edges = new TreeMap<>()

        private PackageGraph(List<List<String>> classEdges) {
            this.classEdges = classEdges
            classEdges.each { String from, String to ->
                String p = packageOf(from), q = packageOf(to)
                edges.computeIfAbsent(p) { new TreeMap<>() }
                if (q.startsWith('dev.mig') && p != q) {
                    edges.computeIfAbsent(q) { new TreeMap<>() }
                    edges[p].computeIfAbsent(q) { new TreeSet<>() }.add("${from} -> ${to}".toString())
                }
            }
        }

        static PackageGraph of(List<List<String>> classEdges) {
            new PackageGraph(classEdges)
        }

        static String packageOf(String className) {
            className.substring(0, className.lastIndexOf('.'))
        }

        Set<String> packages() {
            edges.keySet()
        }

        /** One message per cycle: a shortest loop through its first package, with the class edges of each hop. */
        List<String> cycles() {
            stronglyConnected().findAll { it.size() > 1 }.collect { List<String> component ->
                List<String> loop = shortestLoop(component.first(), component as Set)
                String text = 'package cycle: ' + loop.join(' -> ')
                (0..<loop.size() - 1).each { int i -> edges[loop[i]][loop[i + 1]].each { text += "\n  ${it}" } }
                text
            }
        }

        List<String> layerViolations(List<List<String>> layers) {
            Map<String, Integer> layerOf = [:]
            layers.eachWithIndex { List<String> layer, int i -> layer.each { layerOf[it] = i } }
            List<String> problems = []
            edges.each { String p, Map<String, SortedSet<String>> targets ->
                targets.each { String q, SortedSet<String> why ->
                    if (layerOf.containsKey(p) && layerOf.containsKey(q) && layerOf[q] > layerOf[p]) {
                        problems << "${p} depends on ${q}, a higher layer:\n  ${why.join('\n  ')}".toString()
                    }
                }
            }
            edges.keySet().findAll { !layerOf.containsKey(it) }.each {
                problems << "place package ${it} in a layer (ArchitectureSpec.LAYERS)".toString()
            }
            problems
        }

        /** References from packages {@code inCore} accepts to classes whose names start with one of {@code prefixes}. */
        List<String> forbidden(Closure<Boolean> inCore, List<String> prefixes) {
            classEdges.findAll { String from, String to -> inCore(packageOf(from)) && prefixes.any { to.startsWith(it) } }
                    .collect { String from, String to -> "core class ${from} references ${to}".toString() }
                    .unique()
        }

        private List<String> shortestLoop(String start, Set<String> within) {
            Map<String, String> cameFrom = [:]
            Deque<String> queue = new ArrayDeque<>([start])
            while (!queue.isEmpty()) {
                String p = queue.poll()
                for (String q : edges[p].keySet().findAll { within.contains(it) }) {
                    if (q == start) {
                        List<String> loop = [start]
                        for (String at = p; at != start; at = cameFrom[at]) {
                            loop.add(1, at)
                        }
                        return loop + [start]
                    }
                    if (!cameFrom.containsKey(q)) {
                        cameFrom[q] = p
                        queue.add(q)
                    }
                }
            }
            throw new IllegalStateException("no loop through ${start}")
        }

        /** Tarjan's algorithm: the packages that reach each other. */
        private List<List<String>> stronglyConnected() {
            Map<String, Integer> index = [:], low = [:]
            Deque<String> stack = new ArrayDeque<>()
            Set<String> onStack = [] as Set
            List<List<String>> components = []
            int next = 0
            Closure visit
            visit = { String v ->
                index[v] = low[v] = next++
                stack.push(v)
                onStack << v
                edges[v].keySet().each { String w ->
                    if (!index.containsKey(w)) {
                        visit(w)
                        low[v] = Math.min(low[v], low[w])
                    } else if (onStack.contains(w)) {
                        low[v] = Math.min(low[v], index[w])
                    }
                }
                if (low[v] == index[v]) {
                    List<String> component = []
                    String w
                    do {
                        w = stack.pop()
                        onStack.remove(w)
                        component << w
                    } while (w != v)
                    components << component.sort()
                }
            }
            edges.keySet().each { if (!index.containsKey(it)) visit(it) }
            components
        }
    }
}
