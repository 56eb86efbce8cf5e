package dev.logcore.conformance;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.opentest4j.AssertionFailedError;

/** Expands each {@link ConformanceTest} into one invocation per provider, variant and mode. */
public final class ConformanceExtension implements TestTemplateInvocationContextProvider {
    private static final AtomicLong RUN = new AtomicLong();
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ConformanceExtension.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(ConformanceTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        List<Mode> modes = Arrays.asList(m.getAnnotation(ConformanceTest.class).modes());
        List<Targets.Combination> combos = Targets.all().stream().filter(c -> modes.contains(c.mode())).toList();
        if (combos.isEmpty()) {
            throw new AssertionFailedError("no DiskIo provider is on the class path: the suite has nothing to test");
        }
        return combos.stream().map(Invocation::new);
    }

    private static final class Invocation implements TestTemplateInvocationContext {
        private final Targets.Combination combo;

        Invocation(Targets.Combination combo) {
            this.combo = combo;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + combo.name() + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new Availability(combo), new Resolver(combo));
        }
    }

    /**
     * An unavailable combination is skipped with its probe's reason, printed; under
     * {@code logcore.conformance.strict} it fails instead, so a skip never passes for a success.
     */
    private record Availability(Targets.Combination combo) implements ExecutionCondition, BeforeEachCallback {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (combo.availability().available() || Targets.strict()) {
                return ConditionEvaluationResult.enabled(combo.name() + " is available");
            }
            String why = combo.name() + " is unavailable here: " + combo.availability().reason();
            System.err.println("[conformance] skipped " + context.getDisplayName() + ": " + why);
            return ConditionEvaluationResult.disabled(why);
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            if (!combo.availability().available()) {
                throw new AssertionFailedError(combo.name() + " must run here (logcore.conformance.strict) but is unavailable: "
                        + combo.availability().reason());
            }
        }
    }

    private record Resolver(Targets.Combination combo) implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
            return pc.getParameter().getType() == Target.class;
        }

        @Override
        public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
            Path dir = Targets.baseDir().resolve(ProcessHandle.current().pid() + "-" + RUN.incrementAndGet()
                    + "-" + combo.name().replace('/', '_'));
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + dir, e);
            }
            Target t = new Target(combo, dir);
            ec.getStore(NS).put(Target.class, t);
            return t;
        }
    }
}
