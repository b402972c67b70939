package dev.mig.cli;

import dev.mig.api.MigVersion;
import dev.mig.imports.Adoption;
import dev.mig.imports.MigrationFolder;
import dev.mig.model.Plan;
import dev.mig.report.Printable;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import dev.mig.target.TargetResolver;

/** {@code mig import --adopt URL}: takes over the other tool's journal on URL and says what it recorded. */
final class AdoptOutput {

    private AdoptOutput() {
    }

    static void adopt(CliContext context, Plan plan, MigrationFolder.Result folder, java.nio.file.Path source, String historyTable,
                      String url, String journalSchema) {
        Target target = new TargetResolver().parse(url, "--adopt", context.env(), context.home());
        Adoption.Result r = Adoption.adopt(plan, folder, source, historyTable, () -> Connections.open(target), target.display(),
                journalSchema, MigVersion.get());
        var out = context.out();
        out.println("adopted " + r.adopted().size() + " migration" + (r.adopted().size() == 1 ? "" : "s") + " from " + r.table()
                + " on " + target.display() + " into journal " + journalSchema + " (plan '" + Printable.name(plan.name())
                + "'); none of their SQL ran, " + r.table() + " was not changed");
        if (!r.appliedEarlier().isEmpty()) {
            out.println("  " + r.appliedEarlier().size() + " already applied in mig's journal");
        }
        out.println("  " + r.pending().size() + " not applied by the other tool: mig run will apply "
                + (r.pending().size() == 1 ? "it" : "them") + (r.pending().isEmpty() ? "" : " (" + Printable.name(r.pending().get(0))
                + (r.pending().size() > 1 ? ", ..." : "") + ")"));
        if (!r.warnings().isEmpty()) {
            out.println("warnings (" + r.warnings().size() + "):");
            r.warnings().forEach(w -> out.println("  " + w));
        }
    }
}
