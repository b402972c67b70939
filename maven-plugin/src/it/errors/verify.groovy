// -Dmig.skip skipped the run; an unreachable target errored with exit 6's meaning and no
// password in the log; a plan mistake failed the build with its file:line and exit 2's meaning.
def need = { ok, String what -> if (!ok) throw new AssertionError(what) }
String log = new File(basedir, 'build.log').text
need(log.contains('mig run: skipped (mig.skip)'), 'mig.skip skips the run')
need(log.contains('(exit 6: the database cannot be reached)'), 'the unreachable target is exit 6')
need(!log.contains('TopSecret-99'), 'the password in the URL reached the build log')
need(log =~ /mig check: 1 problem in the plan; nothing was run \(exit 2: the plan or the command is invalid\)/, 'the plan error is exit 2')
need(log =~ /broken\.groovy:3: .*sqll/, 'the plan error names broken.groovy:3 and the word')
return true
