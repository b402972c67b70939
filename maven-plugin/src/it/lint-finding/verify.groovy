// mig:check passed both plans without a database; mig:lint failed the build naming the rule and the line.
// a failed check names what failed, not the whole build.log
def need = { ok, String what -> if (!ok) throw new AssertionError(what) }
String log = new File(basedir, 'build.log').text
need(log.contains("plan 'second' (src/main/resources/db/second.groovy): 2 steps, no problems found"), 'mig:check checks the first of the plans')
need(log.contains("plan 'lint' (") && log.contains('1 step, no problems found'), 'log.contains("plan \'lint\' (") && log.contains(\'1 step, no problems found\')')
need(log.contains('BUILD FAILURE'), 'log.contains(\'BUILD FAILURE\')')
need(log.contains("mig lint: 1 finding in plan 'lint' (exit 1: lint findings)"), 'log.contains("mig lint: 1 finding in plan \'lint\' (exit 1: lint findings)")')
need(log =~ /plan\.groovy:3 \[\w+\] index-not-concurrently/, 'the finding names plan.groovy:3 and the rule index-not-concurrently')
return true
