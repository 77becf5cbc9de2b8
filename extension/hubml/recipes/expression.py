"""The safe subset of ``DataFrame.eval`` expressions that the ``derive`` step accepts.

A derive expression is user input (typed in a form, stored in JSON, shared with others), so
it is checked against a whitelist before pandas ever sees it: column names (bare, or in
backticks when they have spaces), numbers, strings (only as comparison operands), True and
False, ``+ - * / // % **``, comparisons, ``& | ~ and or not``, parentheses, and calls of a
few math functions by name. Everything else is refused: attribute access, subscripts,
calls of anything else, keyword arguments, ``@local`` references, assignments, lambdas,
comprehensions, f-strings and a power of constants (``9**9**9`` would never finish).
"""

from __future__ import annotations

import ast

from ._messages import msg

__all__ = ["FUNCTIONS", "MAX_LENGTH", "ExpressionError", "check_expression"]

FUNCTIONS = ("abs", "sqrt", "exp", "log", "log10", "log1p", "expm1", "floor", "ceil")
MAX_LENGTH = 1000
MAX_NODES = 200
_PLACEHOLDER = "_hubml_backtick_{}_"

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|"}
_UNARY = (ast.UAdd, ast.USub, ast.Invert, ast.Not)
_COMPARE = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call,
            ast.Name, ast.Constant, ast.Load, ast.And, ast.Or, *_BINARY, *_UNARY, *_COMPARE)
_WHAT = {ast.Attribute: "attribute access (a.b)", ast.Subscript: "indexing (a[...])",
         ast.Lambda: "lambda", ast.IfExp: "a conditional (x if c else y)",
         ast.JoinedStr: "an f-string", ast.NamedExpr: "assignment (:=)",
         ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a dict", ast.Set: "a set",
         ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not",
         ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>", ast.BitXor: "^",
         ast.Starred: "*args", ast.ListComp: "a comprehension",
         ast.GeneratorExp: "a comprehension", ast.Await: "await"}


class ExpressionError(ValueError):
    """An expression outside the safe subset; the text says what to change."""


def _split_backticks(expression: str) -> tuple[str, list[str]]:
    """Replace `quoted names` by placeholders (outside string literals)."""
    out, names, i, quote = [], [], 0, None
    while i < len(expression):
        char = expression[i]
        if quote:
            out.append(char)
            if char == "\\":
                out.append(expression[i + 1:i + 2])
                i += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "`":
            end = expression.find("`", i + 1)
            if end < 0:
                raise ExpressionError(msg("recipe.expr.backtick"))
            out.append(_PLACEHOLDER.format(len(names)))
            names.append(expression[i + 1:end])
            i = end
        else:
            out.append(char)
        i += 1
    return "".join(out), names


def _parse(expression: str) -> tuple[ast.Expression, list[str]]:
    if not isinstance(expression, str) or not expression.strip():
        raise ExpressionError(msg("recipe.expr.syntax", problem="the expression is empty"))
    if len(expression) > MAX_LENGTH:
        raise ExpressionError(msg("recipe.expr.too_long", limit=MAX_LENGTH))
    if any(char in expression for char in "\r\n\x00"):
        raise ExpressionError(msg("recipe.expr.syntax", problem="write it on one line"))
    text, quoted = _split_backticks(expression)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        if "@" in text:  # pandas reads @name as a Python variable of the caller
            raise ExpressionError(msg("recipe.expr.not_allowed", what="@ (local variables)",
                                      functions=", ".join(FUNCTIONS))) from None
        raise ExpressionError(msg("recipe.expr.syntax",
                                  problem=f"not a valid expression ({exc.msg})")) from None
    return tree, quoted


def _constant_only(node) -> bool:
    return all(isinstance(n, (ast.Constant, ast.BinOp, ast.UnaryOp, *_BINARY, *_UNARY))
               for n in ast.walk(node))


def check_expression(expression: str) -> list[str]:
    """The column names the expression uses; ExpressionError if it is outside the subset."""
    tree, quoted = _parse(expression)
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ExpressionError(msg("recipe.expr.too_big", limit=MAX_NODES))
    functions = ", ".join(FUNCTIONS)
    called = {id(n.func) for n in nodes if isinstance(n, ast.Call)}
    names: list[str] = []
    for node in nodes:
        if not isinstance(node, _ALLOWED):
            what = next((t for k, t in _WHAT.items() if isinstance(node, k)),
                        type(node).__name__)
            raise ExpressionError(msg("recipe.expr.not_allowed", what=what, functions=functions))
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise ExpressionError(msg("recipe.expr.not_allowed",
                                          what="calling anything but a function name",
                                          functions=functions))
            if node.func.id not in FUNCTIONS:
                raise ExpressionError(msg("recipe.expr.function", name=node.func.id,
                                          functions=functions))
            if node.keywords or len(node.args) != 1:
                raise ExpressionError(msg("recipe.expr.not_allowed",
                                          what="a call with other than one argument",
                                          functions=functions))
        elif isinstance(node, ast.Name) and id(node) not in called:
            slot = node.id.split("_")[3] if node.id.startswith("_hubml_backtick_") else ""
            if slot.isdigit() and int(slot) < len(quoted):
                names.append(quoted[int(slot)])
            elif node.id.startswith("__"):
                raise ExpressionError(msg("recipe.expr.not_allowed",
                                          what=f"the name {node.id!r}", functions=functions))
            else:
                names.append(node.id)
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, (int, float, str, bool)):
                raise ExpressionError(msg("recipe.expr.not_allowed",
                                          what=f"the constant {node.value!r}",
                                          functions=functions))
        elif isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow) and _constant_only(node):
                raise ExpressionError(msg("recipe.expr.constant_power"))
            if any(isinstance(side, ast.Constant) and isinstance(side.value, str)
                   for side in (node.left, node.right)):
                raise ExpressionError(msg("recipe.expr.string_math"))
        elif isinstance(node, ast.UnaryOp):
            if isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, str):
                raise ExpressionError(msg("recipe.expr.string_math"))
    return list(dict.fromkeys(names))

