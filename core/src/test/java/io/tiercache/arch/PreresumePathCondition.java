package io.tiercache.arch;

import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaStaticInitializer;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * "Reached only from {@code Owner.root()}": walks every call (and method reference) of a method
 * back through its callers, transitively, with a visited set against cycles. A path is fine when
 * it arrives at the root; it is a violation when it passes through a constructor or static
 * initializer, through a message handler ({@code message}) or a target constructor
 * ({@code construct}), or ends at a method nothing calls. ArchUnit's fluent {@code onlyBeCalled()}
 * only sees direct callers; the checks sit two or three calls below preresume.
 */
final class PreresumePathCondition extends ArchCondition<JavaMethod> {
    private final String rootOwner;
    private final String rootName;

    private PreresumePathCondition(String rootOwner, String rootName) {
        super("be reached only from " + rootOwner + "." + rootName + "(), never from a constructor or a message "
                + "handler");
        this.rootOwner = rootOwner;
        this.rootName = rootName;
    }

    static PreresumePathCondition onlyReachedFrom(String rootOwner, String rootName) {
        return new PreresumePathCondition(rootOwner, rootName);
    }

    @Override
    public void check(JavaMethod method, ConditionEvents events) {
        Deque<JavaCodeUnit> todo = new ArrayDeque<>();
        Set<JavaCodeUnit> seen = new HashSet<>();
        todo.add(method);
        seen.add(method);
        while (!todo.isEmpty()) {
            JavaCodeUnit unit = todo.poll();
            for (JavaAccess<?> access : unit.getAccessesToSelf()) {
                JavaCodeUnit caller = access.getOrigin();
                String problem = problem(caller);
                if (problem != null) {
                    events.add(SimpleConditionEvent.violated(method, method.getFullName() + " is reached from "
                            + problem + " " + caller.getFullName() + " (" + access.getSourceCodeLocation() + ")"));
                } else if (isRoot(caller)) {
                    checkRootCallers(method, caller, events);
                } else if (seen.add(caller)) {
                    if (caller.getAccessesToSelf().isEmpty()) {
                        events.add(SimpleConditionEvent.violated(method, method.getFullName() + " is reached from "
                                + caller.getFullName() + ", which is not on the path from " + rootOwner + "."
                                + rootName + "()"));
                    }
                    todo.add(caller);
                }
            }
        }
    }

    /** The root itself is called by the device mapper through the Target interface; nothing else may. */
    private void checkRootCallers(JavaMethod method, JavaCodeUnit root, ConditionEvents events) {
        for (JavaAccess<?> access : root.getAccessesToSelf()) {
            String problem = problem(access.getOrigin());
            if (problem != null) {
                events.add(SimpleConditionEvent.violated(method, method.getFullName() + " is reached through "
                        + root.getFullName() + " from " + problem + " " + access.getOrigin().getFullName()));
            }
        }
    }

    private boolean isRoot(JavaCodeUnit unit) {
        return unit.getOwner().getName().equals(rootOwner) && unit.getName().equals(rootName);
    }

    private static String problem(JavaCodeUnit caller) {
        if (caller.isConstructor()) {
            return "the constructor";
        }
        if (caller.getName().equals(JavaStaticInitializer.STATIC_INITIALIZER_NAME)) {
            return "the static initializer";
        }
        if (caller.getName().equals("message")) {
            return "the message handler";
        }
        if (caller.getName().equals("construct")) {
            return "the target constructor";
        }
        return null;
    }
}
