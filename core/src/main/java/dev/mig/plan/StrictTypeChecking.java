package dev.mig.plan;

import dev.mig.catalog.CatalogObject;
import dev.mig.text.DidYouMean;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCall;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.transform.stc.AbstractTypeCheckingExtension;
import org.codehaus.groovy.transform.stc.StaticTypeCheckingVisitor;
import org.codehaus.groovy.transform.stc.StaticTypesMarker;
import org.codehaus.groovy.transform.stc.TypeCheckingContext;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The type-checking extension of {@code mig check --strict}: words of mig's DSL in mig's terms.
 * <ul>
 *   <li>An unknown word in a block is "unknown element 'colums' in table { }" with a did-you-mean
 *       from the block's delegate (the {@code @DelegatesTo} of the method that takes the block).</li>
 *   <li>A recipe's body is left dynamic: it runs with the delegate of whatever block applies it
 *       (cleanup or step), which is not known where the recipe is written.</li>
 *   <li>Properties of catalog answers ({@code column('t', 'c').notNull}) are dynamic by design.</li>
 *   <li>An undeclared name (a binding variable) is reported as what --strict requires.</li>
 * </ul>
 * Loaded by class name through {@code @TypeChecked(extensions = ...)}.
 */
public class StrictTypeChecking extends AbstractTypeCheckingExtension {

    public static final String PREFIX = "strict: ";

    public StrictTypeChecking(StaticTypeCheckingVisitor visitor) {
        super(visitor);
    }

    @Override
    public List<MethodNode> handleMissingMethod(ClassNode receiver, String name, ArgumentListExpression argumentList,
                                                ClassNode[] argumentTypes, MethodCall call) {
        if (inRecipe()) {
            return List.of(makeDynamic(call));
        }
        if (call instanceof MethodCallExpression mce && mce.isImplicitThis()) {
            ClassNode block = enclosingDelegate();
            String word = ScriptCompiler.USE_WORD.equals(name) ? "use" : name;
            if (block != null) {
                Set<String> known = words(block);
                String blockWord = blockWord(block);
                String usage = DslUsage.hint(block.getNameWithoutPackage(), word);
                String message = known.contains(name)
                        ? "wrong arguments for " + word + " in " + blockWord + ": (" + typeNames(argumentTypes) + ")"
                        + (usage == null ? "" : "; " + usage)
                        : "unknown element '" + word + "' in " + blockWord
                        + DidYouMean.suggest(word, known).map(s -> "; did you mean '" + s + "'?").orElse("");
                addStaticTypeError(PREFIX + message, call instanceof Expression e ? e : mce);
                return List.of(makeDynamic(call));
            }
        }
        return List.of();
    }

    @Override
    public boolean handleUnresolvedProperty(PropertyExpression pexp) {
        if (inRecipe() || isCatalogObject(getType(pexp.getObjectExpression()))) {
            makeDynamic(pexp);
            return true;
        }
        return false;
    }

    @Override
    public boolean handleUnresolvedVariableExpression(VariableExpression vexp) {
        if (inRecipe()) {
            makeDynamic(vexp);
            return true;
        }
        addStaticTypeError(PREFIX + "'" + vexp.getName() + "' is not declared; --strict needs every name declared"
                + " (def x = ..., a parameter, or a method of the plan): binding variables and misspelt names are errors", vexp);
        makeDynamic(vexp);
        return true;
    }

    private boolean isCatalogObject(ClassNode type) {
        return type != null && type.getName().equals(CatalogObject.class.getName());
    }

    /** Inside the closure of a {@code recipe('name') { ... }} at the top of the file. */
    private boolean inRecipe() {
        for (Expression call : context.getEnclosingMethodCalls()) {
            if (call instanceof MethodCallExpression mce && mce.isImplicitThis() && "recipe".equals(mce.getMethodAsString())) {
                return true;
            }
        }
        return false;
    }

    /** The delegate type of the innermost enclosing block, from its {@code @DelegatesTo}. */
    private ClassNode enclosingDelegate() {
        TypeCheckingContext.EnclosingClosure closure = context.getEnclosingClosure();
        if (closure == null) {
            return null;
        }
        ClosureExpression expression = closure.getClosureExpression();
        Object metadata = expression.getNodeMetaData(StaticTypesMarker.DELEGATION_METADATA);
        if (metadata == null) {
            return null;
        }
        try {
            // DelegationMetadata is package-private in Groovy; its getType() is the @DelegatesTo value
            Method getType = metadata.getClass().getMethod("getType");
            getType.setAccessible(true);
            return (ClassNode) getType.invoke(metadata);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Set<String> words(ClassNode type) {
        Set<String> names = new TreeSet<>();
        try {
            Class<?> cls = type.getTypeClass();
            for (Method m : cls.getMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && m.getDeclaringClass() != Object.class
                        && !m.getDeclaringClass().getName().startsWith("groovy.") && !m.getName().contains("$")
                        && !Set.of("methodMissing", "propertyMissing", "getMetaClass", "setMetaClass", "invokeMethod",
                        "getProperty", "setProperty", "build", "recipeUses", "startRecording", "stopRecording").contains(m.getName())) {
                    names.add(m.getName().equals(ScriptCompiler.USE_WORD) ? "use" : m.getName());
                }
            }
        } catch (RuntimeException | LinkageError notLoaded) {
            // a type not compiled yet: no suggestions
        }
        return names;
    }

    private static String blockWord(ClassNode type) {
        String simple = type.getNameWithoutPackage();
        return switch (simple) {
            case "PlanDelegate" -> "plan { }";
            case "StepDelegate" -> "step { }";
            case "VerifyDelegate" -> "verify { }";
            case "TableDelegate" -> "table { }";
            case "ColumnDelegate" -> "column { }";
            case "IndexDelegate" -> "index { }";
            case "EnumDelegate" -> "enumType { }";
            case "AbsentDelegate" -> "absent { }";
            case "SchemaDelegate" -> "schema { }";
            case "CleanupDelegate" -> "cleanup { }";
            case "LintDelegate" -> "lint { }";
            case "CatalogView" -> "a guard, expect or groovy block (the catalog view)";
            default -> simple;
        };
    }

    private static String typeNames(ClassNode[] types) {
        if (types == null || types.length == 0) {
            return "no arguments";
        }
        StringBuilder out = new StringBuilder();
        for (ClassNode t : types) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(t == null ? "null" : ClassHelper.getWrapper(t).getNameWithoutPackage());
        }
        return out.toString();
    }
}
