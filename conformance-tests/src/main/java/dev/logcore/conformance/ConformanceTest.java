package dev.logcore.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test body run once per provider, variant and mode, like Netty's transport testsuite runs one
 * body over every transport. The method takes a {@link Target} parameter.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(ConformanceExtension.class)
public @interface ConformanceTest {
    /**
     * The modes the body means something in. Bodies about errors, ownership or the engine itself do
     * not depend on O_DIRECT and run buffered only.
     */
    Mode[] modes() default {Mode.BUFFERED, Mode.DIRECT};
}
