// After the run, the changed plan's status and plan fail the build with drift's exit code (5).
def need = { ok, String what -> if (!ok) throw new AssertionError(what) }
def server = System.getProperties().remove('mig.it.server.' + basedir.name)
try {
    String log = new File(basedir, 'build.log').text
    need(log =~ /applied\s+create items/, 'the first build applies the step')
    need(log =~ /DRIFTED\s+create items/, 'mig:status lists the changed step as DRIFTED')
    need(log.contains('mig status: 1 drifted, 0 to run (exit 5: an applied step changed (drift))'), 'mig:status fails with exit 5')
    need(log.contains('mig plan: an applied step changed since it was applied (exit 5: an applied step changed (drift))'), 'mig:plan fails with exit 5')
} finally {
    server?.close()
}
return true
