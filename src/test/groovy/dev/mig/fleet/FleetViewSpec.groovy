package dev.mig.fleet

import dev.mig.target.TargetResolver
import spock.lang.Specification

/** docs/DSL.md, "Fleets", "On a terminal": the live view's text, rendered from a state, without a terminal. */
class FleetViewSpec extends Specification {

    static FleetView.State state(Map m) {
        new FleetView.State(m.total ?: 0, m.succeeded ?: 0, m.failed ?: 0, m.cancelled ?: 0, m.running ?: [], m.elapsedMs ?: 0L,
                m.stopping ?: false, m.cancelling ?: false)
    }

    static FleetView.Running running(String tenant, String doing, long ms) {
        new FleetView.Running(tenant, doing, ms)
    }

    def "counts done, failed, running and waiting, throughput and an ETA; the running tenants, the longest running first"() {
        given:
        def s = state(total: 120, succeeded: 35, failed: 2, elapsedMs: 17_619L,
                running: [running('acme', 'step 2/12 add plan column', 4_200), running('globex', 'step 3/12 backfill orders', 12_900),
                          running('initech', 'connecting', 100)])

        expect:
        FleetView.render(s, 120, false) == [
                'fleet: 37 of 120 done, 2 failed, 3 running, 80 waiting · 2.1 tenants/s · ETA 40 s',
                '  globex   step 3/12 backfill orders  12 s',
                '  acme     step 2/12 add plan column  4 s',
                '  initech  connecting  0 s']
    }

    def "before the first tenant ends there is no throughput to tell, and so no ETA"() {
        expect:
        FleetView.render(state(total: 3, running: [running('a', 'connecting', 0)], elapsedMs: 300L), 80, false)[0] ==
                'fleet: 0 of 3 done, 1 running, 2 waiting'
    }

    def "throughput under one tenant a second is per minute; the ETA reads in minutes and hours"() {
        expect:
        FleetView.throughput(2.06) == '2.1 tenants/s'
        FleetView.throughput(0.5) == '30 tenants/min'
        FleetView.throughput(0.05) == '3.0 tenants/min'
        FleetView.duration(38) == '38 s'
        FleetView.duration(250) == '4 min 10 s'
        FleetView.duration(7_500) == '2 h 5 min'
        FleetView.render(state(total: 1000, succeeded: 10, elapsedMs: 60_000L), 100, false)[0] ==
                'fleet: 10 of 1000 done, 0 running, 990 waiting · 10 tenants/min · ETA 1 h 39 min'
    }

    def "at most four running tenants are shown; beyond, three and a count of the others"() {
        given:
        def six = (1..6).collect { running("t${it}".toString(), 'connecting', it * 1000L) }

        when:
        def lines = FleetView.render(state(total: 10, running: six, elapsedMs: 1000L), 80, false)

        then:
        lines.size() == 5
        lines[1].startsWith('  t6  ')
        lines[3].startsWith('  t4  ')
        lines[4] == '  … and 3 more running'
        FleetView.render(state(total: 10, running: six.take(4), elapsedMs: 1000L), 80, false).size() == 5
    }

    def "stopping and cancelling replace the ETA; failed in red, cancelled in yellow, only with colour"() {
        expect:
        FleetView.render(state(total: 8, succeeded: 2, running: [running('a', 'step 1/2 a', 0)], stopping: true, elapsedMs: 1000L), 80, false)[0] ==
                'fleet: 2 of 8 done, 1 running, 5 waiting · stopping: no new tenant starts'
        FleetView.render(state(total: 8, cancelled: 1, failed: 1, cancelling: true, stopping: true, elapsedMs: 1000L), 120, true)[0] ==
                'fleet: 2 of 8 done, \u001b[31m1 failed\u001b[0m, \u001b[33m1 cancelled\u001b[0m, 0 running, 6 waiting' +
                '\u001b[33m · cancelling the running tenants\u001b[0m'
    }

    def "every line fits the width (one column spare), long names cut with an ellipsis, control characters escaped"() {
        given:
        def s = state(total: 5, succeeded: 1, elapsedMs: 2000L,
                running: [running('tenant-with-a-very-long-identifier-indeed', "step 1/1 evil\u001b[2Jname", 1000)])

        when:
        def lines = FleetView.render(s, 40, false)

        then:
        lines.every { it.length() <= 39 }
        lines[0] == 'fleet: 1 of 5 done, 1 running, 3 waiti…'
        lines[1].startsWith('  tenant-with-a-very-long-identifier-indeed'.take(20))
        !lines.join('\n').contains('\u001b')
        FleetView.render(state(total: 1, running: [running('a', "x\u001b[2J", 0)]), 80, false)[1] == '  a  x\\u001B[2J  0 s'
    }

    def "the progress of a fleet follows its listener and each tenant's run, on a clock of its own"() {
        given:
        long now = 0
        def progress = new FleetProgress(3, { now })
        def target = new TargetResolver().parse('postgres://u@h/db', 'test', [:], java.nio.file.Path.of('.'))
        def a = new Tenant('a', target, null)
        def b = new Tenant('b', target, null)

        when:
        progress.started(a)
        now = 2_000_000_000L
        progress.started(b)
        def plan = dev.mig.Mig.planFromString('p.groovy', "plan('p') { step('one') { sql 'SELECT 1' }; step('two') { sql 'SELECT 2' } }").model()
        def listener = progress.listener(b)
        listener.started(plan, 'db')
        listener.stepStarting(plan.steps()[1])
        now = 3_000_000_000L
        def s = progress.state()

        then:
        s.running()*.tenant() == ['a', 'b']
        s.running()*.doing() == ['connecting', 'step 2/2 two']
        s.running()*.forMs() == [3000L, 1000L]
        s.waiting() == 1

        when:
        progress.finished(new TenantResult(a, TenantResult.Outcome.FAILED, 1, 5, null, null, null))
        progress.stopping()

        then:
        progress.state().failed() == 1
        progress.state().running()*.tenant() == ['b']
        progress.state().stopping()
    }
}
