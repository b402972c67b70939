package dev.mig.plan;

import groovy.lang.DelegatingMetaClass;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovySystem;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

import java.util.Set;

/**
 * Plan code may not end the process. {@code System.exit(3)} in a guard ended mig with code 3 and
 * no output, and the step was silently not recorded. Calls written as such are plan errors at
 * compile time (file:line, before anything runs); calls reached dynamically (a variable holding
 * {@code System}, {@code "exit"(1)}) go through Groovy's metaclass, where they are refused with an
 * exception while plan code is on the stack, so the step fails with its line. mig's own Java
 * code, and code outside a plan, exits as before. Reflection and JNI are not covered: code in a
 * plan can do anything the user running mig can (see "What runs when" in docs/DSL.md).
 */
final class ProcessExit {

    private static final Set<String> EXITS = Set.of("exit", "halt");
    static final String HINT = "a plan cannot end mig: to fail a step throw an exception"
            + " (throw new IllegalStateException('why')), or use guard(onFalse: 'fail') { ... }";

    private ProcessExit() {
    }

    /** The compile-time check: after names are resolved, so {@code System} is known to be java.lang.System. */
    static CompilationCustomizer check() {
        return new CompilationCustomizer(CompilePhase.CANONICALIZATION) {
            @Override
            public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
                new ClassCodeVisitorSupport() {
                    @Override
                    protected SourceUnit getSourceUnit() {
                        return source;
                    }

                    @Override
                    public void visitMethodCallExpression(MethodCallExpression call) {
                        if (isExit(call.getMethodAsString()) && exitsProcess(call.getObjectExpression())) {
                            refuse(source, call, describe(call.getObjectExpression()) + "." + call.getMethodAsString() + "(...)");
                        }
                        super.visitMethodCallExpression(call);
                    }

                    @Override
                    public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
                        if (isExit(call.getMethod()) && isExitClass(call.getOwnerType())) {
                            refuse(source, call, call.getOwnerType().getNameWithoutPackage() + "." + call.getMethod() + "(...)");
                        }
                        super.visitStaticMethodCallExpression(call);
                    }

                    @Override
                    public void visitMethodPointerExpression(MethodPointerExpression pointer) {
                        if (isExit(pointer.getMethodName().getText()) && exitsProcess(pointer.getExpression())) {
                            refuse(source, pointer, describe(pointer.getExpression()) + ".&" + pointer.getMethodName().getText());
                        }
                        super.visitMethodPointerExpression(pointer);
                    }
                }.visitClass(classNode);
            }
        };
    }

    /** A dynamic name ({@code "$word"()}) is null here. */
    private static boolean isExit(String name) {
        return name != null && EXITS.contains(name);
    }

    /** {@code System}, {@code Runtime}, {@code Runtime.getRuntime()} or {@code Runtime.runtime}. */
    private static boolean exitsProcess(Expression receiver) {
        if (receiver instanceof ClassExpression c) {
            return isExitClass(c.getType());
        }
        if (receiver instanceof MethodCallExpression m) {
            return "getRuntime".equals(m.getMethodAsString()) && exitsProcess(m.getObjectExpression());
        }
        if (receiver instanceof PropertyExpression p) {
            return "runtime".equals(p.getPropertyAsString()) && exitsProcess(p.getObjectExpression());
        }
        return false;
    }

    private static boolean isExitClass(ClassNode type) {
        return type.getName().equals(System.class.getName()) || type.getName().equals(Runtime.class.getName());
    }

    private static String describe(Expression receiver) {
        return receiver instanceof ClassExpression c ? c.getType().getNameWithoutPackage() : "Runtime.getRuntime()";
    }

    private static void refuse(SourceUnit source, Expression at, String call) {
        ScriptCompiler.report(source, at, call + " would end mig itself, with no report, and leave the step unrecorded", HINT);
    }

    private static boolean installed;

    /** Puts the run-time refusal on System's and Runtime's metaclasses, once per JVM. */
    static synchronized void install() {
        if (!installed) {
            GroovySystem.getMetaClassRegistry().setMetaClass(System.class, new Refusal(System.class));
            GroovySystem.getMetaClassRegistry().setMetaClass(Runtime.class, new Refusal(Runtime.class));
            installed = true;
        }
    }

    /** Thrown instead of ending the process; the step (or the load) fails with the plan's line. */
    public static final class Refused extends RuntimeException {
        Refused(String call) {
            super(call + " called by plan code: mig does not let a plan end the process, so this fails instead; " + HINT);
        }
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** True when a class compiled from a plan, recipe or mig.groovy file is on the stack. */
    private static boolean planCodeRunning() {
        return WALKER.walk(frames -> frames.anyMatch(f -> f.getDeclaringClass().getClassLoader() instanceof GroovyClassLoader.InnerLoader inner
                && inner.getParent() instanceof PairSafeClassLoader || PlanCache.definedFromCache(f.getDeclaringClass())));
    }

    private static final class Refusal extends DelegatingMetaClass {

        private final String className;

        Refusal(Class<?> type) {
            super(type);
            initialize();
            className = type.getSimpleName();
        }

        private void check(String name) {
            if (isExit(name) && planCodeRunning()) {
                throw new Refused(className + "." + name + "(...)");
            }
        }

        @Override
        public Object invokeMethod(Object object, String methodName, Object[] arguments) {
            check(methodName);
            return super.invokeMethod(object, methodName, arguments);
        }

        @Override
        public Object invokeMethod(Object object, String methodName, Object arguments) {
            check(methodName);
            return super.invokeMethod(object, methodName, arguments);
        }

        @Override
        public Object invokeMethod(Class sender, Object receiver, String methodName, Object[] arguments,
                                   boolean isCallToSuper, boolean fromInsideClass) {
            check(methodName);
            return super.invokeMethod(sender, receiver, methodName, arguments, isCallToSuper, fromInsideClass);
        }

        @Override
        public Object invokeStaticMethod(Object object, String methodName, Object[] arguments) {
            check(methodName);
            return super.invokeStaticMethod(object, methodName, arguments);
        }
    }
}
