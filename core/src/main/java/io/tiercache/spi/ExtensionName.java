package io.tiercache.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name under which an extension is registered: a policy's name ({@code smq}), a metadata
 * format's version ({@code 1}, {@code 2}) or a frontend's name ({@code nbd}).
 *
 * <p>The host reads it from the class, so it can key its registries without instantiating
 * anything; every extension class must carry it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ExtensionName {
    String value();
}
