package io.parley.api.error;

import java.util.List;

/** Malformed or invalid input (400), naming each offending field. */
public class InvalidInputException extends ParleyException {

  private final List<FieldProblem> problems;

  public InvalidInputException(List<FieldProblem> problems) {
    super("The request is invalid");
    this.problems = List.copyOf(problems);
  }

  public InvalidInputException(String field, String message) {
    this(List.of(new FieldProblem(field, message)));
  }

  public List<FieldProblem> problems() {
    return problems;
  }

  /** One invalid field: its JSON name and what is wrong, never its value. */
  public record FieldProblem(String field, String message) {}
}
