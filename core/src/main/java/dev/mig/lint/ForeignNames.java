package dev.mig.lint;

import dev.mig.diagnose.Creations;
import dev.mig.model.LintRule;
import dev.mig.sql.OtherDialects;

import java.util.HashSet;
import java.util.Set;

/**
 * other-dialect: a type or function name of MySQL, SQL Server or Oracle that PostgreSQL does not
 * have ({@code DATETIME}, {@code TINYINT(1)}, {@code NVARCHAR(MAX)}, {@code GETDATE()}), with the
 * PostgreSQL way. A database may define such a name itself, so one the plan creates earlier
 * ({@code CREATE DOMAIN datetime ...}, {@code CREATE FUNCTION getdate() ...}), or the target has,
 * is not reported. The syntax of other databases (AUTO_INCREMENT, backticks, ...) never gets here:
 * loading the plan refuses it.
 */
final class ForeignNames {

    private final TargetFacts target;
    private final Set<String> types = new HashSet<>();
    private final Set<String> functions = new HashSet<>();

    ForeignNames(TargetFacts target) {
        this.target = target;
    }

    void read(StepLint lint, StepLint.Statement s) {
        for (OtherDialects.Use use : OtherDialects.in(s.text(), s.tokens())) {
            if (use.syntax() || defined(use)) {
                continue;
            }
            int line = use.lineIn(s.text());
            lint.report(LintRule.OTHER_DIALECT, null, use.sentence(), s.at().withLine(s.at().line() + line - 1));
        }
        for (Creations.Creation c : Creations.of(s.tokens(), lint.step, s.at())) {
            if (c.kind() == Creations.Kind.TYPE) {
                types.add(c.name());
            } else if (c.kind() == Creations.Kind.FUNCTION) {
                functions.add(c.name());
            }
        }
    }

    private boolean defined(OtherDialects.Use use) {
        if (use.kind() == OtherDialects.Use.Kind.TYPE) {
            return types.contains(use.name()) || target.type(use.name()) != null;
        }
        return functions.contains(use.name()) || target.volatileFunction(null, use.name()) != null;
    }
}
