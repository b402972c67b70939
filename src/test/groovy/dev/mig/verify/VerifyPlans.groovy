package dev.mig.verify

import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles

/** A one-step plan whose step holds only a verify block, run with mig run: how the verify specs ask the catalog. */
class VerifyPlans {

    static MigCli verify(PlanFiles files, String url, String name, String expectations) {
        def plan = files.write("${name}.groovy", """
            plan('${name}') {
                step('check') {
                    verify {
${expectations}
                    }
                }
            }
        """)
        MigCli.run(['run', '--url', url, plan.toString()])
    }
}
