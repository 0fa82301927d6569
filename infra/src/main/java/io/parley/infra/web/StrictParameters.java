package io.parley.infra.web;

import java.beans.PropertyEditorSupport;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Path variables and query parameters are as strict as JSON bodies (API.md "Types are strict").
 * Spring's binding is looser: a number goes through {@code Integer.decode} after trimming ({@code
 * 0x10} is 16, {@code 010} is 8, {@code " 5"} and {@code +5} are 5) and an enum is looked up after
 * trimming ({@code ANALYTICS%20} is {@code ANALYTICS}) — both as fallbacks that run even when a
 * stricter converter has refused the text. Editors registered on every binder come first and leave
 * no fallback: here an Integer or Long is a plain decimal ({@code -?(0|[1-9][0-9]*)}, ASCII digits)
 * and an enum one of its names exactly. Anything else is a 400 naming the parameter ({@link
 * ProblemDetailsAdvice}).
 */
@ControllerAdvice
public class StrictParameters {

  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]{0,18})");

  private final ObjectProvider<RequestMappingHandlerMapping> handlers;
  private volatile Set<Class<?>> enumParameterTypes;

  public StrictParameters(
      @Qualifier("requestMappingHandlerMapping")
          ObjectProvider<RequestMappingHandlerMapping> handlers) {
    this.handlers = handlers;
  }

  @InitBinder
  void strictTypes(WebDataBinder binder) {
    // Editors hold the value being converted: new ones for each binder (one per argument).
    binder.registerCustomEditor(Integer.class, new Decimal(Integer::valueOf, true));
    binder.registerCustomEditor(int.class, new Decimal(Integer::valueOf, false));
    binder.registerCustomEditor(Long.class, new Decimal(Long::valueOf, true));
    binder.registerCustomEditor(long.class, new Decimal(Long::valueOf, false));
    for (Class<?> type : enumParameterTypes()) {
      binder.registerCustomEditor(type, new ExactName(type));
    }
  }

  /** The enum types of the handler methods' parameters, found once. */
  private Set<Class<?>> enumParameterTypes() {
    Set<Class<?>> types = enumParameterTypes;
    if (types == null) {
      Set<Class<?>> found = new LinkedHashSet<>();
      handlers
          .getObject()
          .getHandlerMethods()
          .values()
          .forEach(
              method ->
                  Arrays.stream(method.getMethodParameters())
                      .map(MethodParameter::nestedIfOptional)
                      .map(MethodParameter::getNestedParameterType)
                      .filter(Class::isEnum)
                      .forEach(found::add));
      types = Set.copyOf(found);
      enumParameterTypes = types;
    }
    return types;
  }

  /** The text if it is a plain decimal integer, else an IllegalArgumentException (a 400). */
  static String decimal(String text) {
    if (text == null || !DECIMAL.matcher(text).matches()) {
      throw new IllegalArgumentException("not a decimal integer");
    }
    return text;
  }

  static final class Decimal extends PropertyEditorSupport {
    private final Function<String, Object> parse;
    private final boolean nullable;

    Decimal(Function<String, Object> parse, boolean nullable) {
      this.parse = parse;
      this.nullable = nullable;
    }

    @Override
    public void setAsText(String text) {
      if (text == null && nullable) {
        setValue(null);
        return;
      }
      setValue(parse.apply(decimal(text))); // NumberFormatException on overflow: also a 400
    }
  }

  static final class ExactName extends PropertyEditorSupport {
    private final Class<?> type;

    ExactName(Class<?> type) {
      this.type = type;
    }

    @Override
    public void setAsText(String text) {
      for (Object constant : type.getEnumConstants()) {
        if (((Enum<?>) constant).name().equals(text)) {
          setValue(constant);
          return;
        }
      }
      throw new IllegalArgumentException("not one of the names");
    }
  }
}
