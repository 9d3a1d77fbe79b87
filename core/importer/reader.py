"""Walks a script's syntax tree and records the program it builds, without running it.

Each variable gets a :mod:`~core.importer.values` value. Module-level code runs
first (imports, classes, constants, ``asyncio.run(main())``); a function runs
when the script calls it (once: its return value is remembered), and any
function never called runs at the end, so a ``build_program()`` nobody calls
is still read. ``if``, ``with`` and ``try`` bodies are read in order; modules
created inside a loop are refused (the importer cannot know how many times a
loop runs).
"""

from __future__ import annotations

import ast
from typing import Any

from core.importer import values as v
from core.importer.auto_names import CLASS_NAMES, AutoNames, snake_case
from core.importer.catalogue_calls import CatalogueCalls, catalogue_classes
from core.importer.data_models import DataModelReader
from core.importer.errors import ImportProblem
from core.importer.knowledge_calls import KnowledgeCalls
from core.importer.module_calls import (
    DEFAULT_NAMES,
    MODULE_KINDS,
    OPERATORS,
    OPS_MERGES,
    ImportedNode,
)
from core.importer.program_calls import ProgramCalls
from core.importer.references import References
from core.model.names import identifier_problem, sanitize_identifier

HARMLESS_SYNALINKS = frozenset(
    {
        "enable_observability",
        "enable_logging",
        "clear_session",
        "set_seed",
        "utils.plot_program",
        "utils.plot_history",
        "utils.plot_metrics",
    }
)
"""Synalinks calls that set things up or draw, and never touch the program's structure."""

MAX_UNROLLED = 1000
"""A loop over more values than this is not a program-building loop."""

PROGRAM_ARGS = frozenset({"inputs", "outputs", "name", "description", "trainable"})
"""What ``Program(...)`` takes that the graph holds (``trainable`` only matters for training)."""

Env = dict[str, Any]


class ScriptReader(CatalogueCalls, KnowledgeCalls, ProgramCalls):
    def __init__(self, source: str, filename: str, registry: Any = None) -> None:
        """``registry`` gives the catalogue's modules (InMask, SelfCritique...) beside the
        hand-written kinds; without one only the hand-written kinds are read."""
        self.source = source
        self.catalogue = catalogue_classes(registry)
        self.default_names = {
            **{t.type_name: t.default_name for t in self.catalogue.values()},
            **DEFAULT_NAMES,
        }
        self.filename = filename
        self.problems: list[ImportProblem] = []
        self.refs = References()
        self.models = DataModelReader(self.refs, source, self.report)
        self.nodes: list[ImportedNode] = []
        self.auto_names = AutoNames()
        self.used_names: set[str] = set()
        self.programs: list[v.Program] = []
        self.subgraph_programs: dict[int, v.Program] = {}  # Subgraph node -> the program it calls
        self.language_models: list[v.LanguageModel] = []
        self.embedding_models: list[v.EmbeddingModel] = []
        self.knowledge_bases: list[v.KnowledgeBase] = []
        self.globals: Env = {}
        self._functions: list[v.Function] = []
        self._loops = 0
        self._returns: list[list[Any]] = []
        self._selves: list[v.ProgramInstance] = []
        self._instances: list[v.ProgramInstance] = []

    def report(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(ImportProblem(line, message, severity, self.filename))  # type: ignore[arg-type]

    # ------------------------------------------------------------ top level
    def read(self, tree: ast.Module) -> None:
        self.run_block(tree.body, self.globals)
        for function in list(self._functions):
            if not function.evaluated:
                self.call_function(function)
        for instance in self._instances:
            if instance.program is None:
                self.report(
                    instance.line,
                    f"{instance.cls.definition.name}(...) is never built, so the importer "
                    "cannot see its modules; build it in the script with "
                    "`await program.build(synalinks.Input(data_model=...))`",
                    "warning",
                )

    def run_block(self, body: list[ast.stmt], env: Env) -> None:
        for statement in body:
            self.run_statement(statement, env)

    def run_statement(self, stmt: ast.stmt, env: Env) -> None:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self.refs.add(stmt)
        elif isinstance(stmt, ast.ClassDef):
            self.read_class(stmt, env)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = v.Function(stmt)
            self._functions.append(function)
            env[stmt.name] = function
        elif isinstance(stmt, ast.Assign):
            names = _target_hint(stmt.targets[0]) if len(stmt.targets) == 1 else None
            value = self.evaluate(stmt.value, env, names)
            for target in stmt.targets:
                self.bind(target, value, env, stmt.lineno)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                value = self.evaluate(stmt.value, env, _target_hint(stmt.target))
                self.bind(stmt.target, value, env, stmt.lineno)
        elif isinstance(stmt, ast.AugAssign):
            combined = ast.BinOp(left=_as_load(stmt.target), op=stmt.op, right=stmt.value)
            ast.copy_location(combined, stmt)
            value = self.evaluate(combined, env, _target_hint(stmt.target))
            self.bind(stmt.target, value, env, stmt.lineno)
        elif isinstance(stmt, ast.Expr):
            self.evaluate(stmt.value, env)
        elif isinstance(stmt, ast.Return):
            value = self.evaluate(stmt.value, env) if stmt.value is not None else None
            if self._returns:
                self._returns[-1].append(value)
        elif isinstance(stmt, ast.If):
            self.run_block(stmt.body, env)
            self.run_block(stmt.orelse, env)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)) and self.unrolled(stmt, env):
            pass
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            self._loops += 1
            try:
                self.run_block(stmt.body, env)
                self.run_block(stmt.orelse, env)
            finally:
                self._loops -= 1
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                self.evaluate(item.context_expr, env)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, None, env, stmt.lineno)
            self.run_block(stmt.body, env)
        elif isinstance(stmt, (ast.Try, ast.TryStar)):
            self.run_block(stmt.body, env)
            for handler in stmt.handlers:
                self.run_block(handler.body, env)
            self.run_block(stmt.orelse, env)
            self.run_block(stmt.finalbody, env)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                self.run_block(case.body, env)
        # pass, del, global, assert, raise...: nothing the graph holds

    def unrolled(self, stmt: ast.For | ast.AsyncFor, env: Env) -> bool:
        """Run a loop over literal values (``range(3)``, a list) once per value, as
        Python would; False (the loop is not read) when its values are not known
        or it leaves early (``break``/``continue``)."""
        values = self.evaluate(stmt.iter, env)
        if (
            not isinstance(values, v.Sequence)
            or len(values.items) > MAX_UNROLLED
            or stmt.orelse
            or _leaves_early(stmt.body)
        ):
            return False
        for value in values.items:
            self.bind(stmt.target, value, env, stmt.lineno)
            self.run_block(stmt.body, env)
        return True

    def read_class(self, stmt: ast.ClassDef, env: Env) -> None:
        if self.models.is_enum(stmt):
            self.models.read_enum(stmt)
            env[stmt.name] = None
        elif self.models.is_data_model(stmt):
            spec = self.models.read(stmt)
            env[stmt.name] = v.DataModelClass(spec.name) if spec else None
        elif any(self.refs.synalinks_name(b) == "Program" for b in stmt.bases):
            env[stmt.name] = self.program_class(stmt)
        elif any(self.refs.synalinks_name(b) in ("Module", "Functional") for b in stmt.bases):
            env[stmt.name] = v.OwnModuleClass(stmt.name, stmt.lineno)
        elif any(
            isinstance(self.evaluate(b, env), (v.ProgramClass, v.OwnModuleClass))
            for b in stmt.bases
        ):
            self.report(
                stmt.lineno,
                f"class {stmt.name} subclasses a class of the script; the importer reads "
                "programs that subclass synalinks.Program directly: merge the two classes",
            )
            env[stmt.name] = None
        else:
            env[stmt.name] = None

    def program_class(self, stmt: ast.ClassDef) -> v.ProgramClass:
        """A ``synalinks.Program`` subclass, read as Synalinks documents it: ``__init__``
        names it, ``build(inputs)`` builds it with the functional API. A ``call()``
        without ``build()`` is Python the importer would have to run, so it is refused."""
        methods = {
            s.name: s for s in stmt.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        if "call" in methods and "build" not in methods:
            self.report(
                methods["call"].lineno,
                f"class {stmt.name} computes its outputs in call(), which the importer cannot "
                "follow without running it; build the program in `async def build(self, "
                "inputs)` ending with super().__init__(inputs=inputs, outputs=outputs, "
                "name=self.name, description=self.description), as Synalinks documents",
            )
        docstring = ast.get_docstring(stmt)
        description = docstring.strip().splitlines()[0].strip() if docstring else None
        return v.ProgramClass(stmt, methods, description or None)

    def bind(self, target: ast.expr, value: Any, env: Env, line: int) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = value
            if isinstance(value, (v.LanguageModel, v.Module)) and value.variable is None:
                value.variable = target.id
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = value.items if isinstance(value, v.Sequence) else None
            if items is not None and len(items) != len(target.elts):
                if v.is_symbolic(value):
                    self.report(line, f"{len(target.elts)} names receive {len(items)} outputs")
                items = None
            for index, element in enumerate(target.elts):
                self.bind(element, items[index] if items else None, env, line)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, None, env, line)
        elif isinstance(target, ast.Attribute) and isinstance(
            owner := self.evaluate(target.value, env), v.ProgramInstance
        ):
            owner.attributes[target.attr] = value
        elif v.is_symbolic(value):
            self.report(
                line,
                f"a module output is stored in `{ast.unparse(target)}`; the importer follows "
                "plain variables only, so assign it to a variable",
            )

    # ---------------------------------------------------------- expressions
    def evaluate(self, expr: ast.expr | None, env: Env, hint: Any = None) -> Any:
        if expr is None:
            return None
        if isinstance(expr, ast.Await):
            return self.evaluate(expr.value, env, hint)
        if isinstance(expr, ast.Constant):
            return v.Literal(expr.value)
        if isinstance(expr, (ast.List, ast.Tuple)):
            return v.Sequence([self.evaluate(e, env) for e in expr.elts])
        if isinstance(expr, ast.Name):
            if expr.id in env:
                return env[expr.id]
            return self.globals.get(expr.id)
        if isinstance(expr, ast.Attribute):
            name = self.refs.synalinks_name(expr)
            if name is not None:
                return v.SynalinksRef(name)
            owner = self.evaluate(expr.value, env)
            if isinstance(owner, v.ProgramInstance):
                return self.attribute(owner, expr.attr)
            return None
        if isinstance(expr, ast.Call):
            return self.evaluate_call(expr, env, hint)
        if isinstance(expr, ast.JoinedStr):
            return self.evaluate_fstring(expr, env)
        if isinstance(expr, ast.BinOp):
            return self.evaluate_operator(expr, env, hint)
        if isinstance(expr, ast.BoolOp):
            found = [self.evaluate(e, env) for e in expr.values]
            if isinstance(expr.op, ast.Or):
                return next((f for f in found if _truthy(f)), None)
            return None
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
            operand = self.evaluate(expr.operand, env)
            number = operand.value if isinstance(operand, v.Literal) else None
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                return v.Literal(-number if isinstance(expr.op, ast.USub) else number)
            return None
        if isinstance(expr, ast.Subscript):
            base = self.evaluate(expr.value, env)
            index = expr.slice
            if (
                isinstance(base, v.Sequence)
                and isinstance(index, ast.Constant)
                and isinstance(index.value, int)
            ):
                if -len(base.items) <= index.value < len(base.items):
                    return base.items[index.value]
            return None
        for child in ast.iter_child_nodes(expr):
            if isinstance(child, ast.expr):
                self.evaluate(child, env)
        return None

    def evaluate_call(self, call: ast.Call, env: Env, hint: Any) -> Any:
        line = call.lineno
        func = call.func
        if isinstance(func, ast.Name) and func.id not in env and func.id not in self.globals:
            name = self.refs.synalinks_name(func)
            callee = v.SynalinksRef(name) if name else None
        elif isinstance(func, ast.Attribute) and self.refs.synalinks_name(func) is None:
            owner = self.evaluate(func.value, env)
            if isinstance(owner, v.Super) and func.attr == "__init__":
                args, kwargs = self.arguments(call, env)
                self.program_init(owner.instance, args, kwargs, line)
                return None
            if isinstance(owner, v.ProgramInstance) and (
                func.attr in owner.cls.methods or func.attr == "build"
            ):
                return self.method_call(owner, func.attr, call, env)
            if isinstance(owner, v.Program) and owner.sequential and func.attr == "add":
                for argument in call.args[:1]:
                    self.sequential_add(owner, self.evaluate(argument, env), line)
                return None
            if v.is_symbolic(owner):
                self.report(
                    line,
                    f"`{ast.unparse(func)}(...)` transforms a module output, and the graph has "
                    f"no node for .{func.attr}(); use modules and merges, or add it after importing",
                )
                return None
            callee = (
                self.attribute(owner, func.attr) if isinstance(owner, v.ProgramInstance) else None
            )
        else:
            callee = self.evaluate(func, env)
        if isinstance(callee, v.SynalinksRef):
            return self.synalinks_call(callee.name, call, env, hint)
        if (
            isinstance(func, ast.Name)
            and func.id == "str"
            and func.id not in env
            and func.id not in self.globals
            and len(call.args) == 1
            and not call.keywords
        ):
            value = self.evaluate(call.args[0], env)
            return v.Literal(str(value.value)) if isinstance(value, v.Literal) else None
        if (
            isinstance(func, ast.Name)
            and func.id == "range"
            and func.id not in env
            and func.id not in self.globals
            and not call.keywords
        ):
            bounds = [self.evaluate(a, env) for a in call.args]
            numbers = [b.value for b in bounds if isinstance(b, v.Literal)]
            if 1 <= len(numbers) == len(bounds) <= 3 and all(type(n) is int for n in numbers):
                steps = range(*numbers)
                if len(steps) <= MAX_UNROLLED:
                    return v.Sequence([v.Literal(n) for n in steps])
            return None
        if (
            isinstance(func, ast.Name)
            and func.id == "super"
            and func.id not in env
            and func.id not in self.globals
            and self._selves
        ):
            return v.Super(self._selves[-1])
        if self.refs.qualify(call.func) == "asyncio.run" and len(call.args) == 1:
            return self.evaluate(call.args[0], env, hint)  # asyncio.run(coroutine) gives its result
        args = [self.evaluate(a, env) for a in call.args]
        kwargs = {k.arg: self.evaluate(k.value, env) for k in call.keywords if k.arg}
        if isinstance(callee, v.Module):
            if self._loops:
                self.report(
                    line,
                    "a module is called inside a loop whose values are not literals; write each call out, or loop over range(N) or a list written in the script (the importer does not run loops)",
                )
                return None
            argument = args[0] if args else kwargs.get("inputs")
            return self.apply_module(callee, argument, line, hint)
        if isinstance(callee, v.ProgramClass):
            return self.instantiate(callee, call, args, kwargs)
        if isinstance(callee, v.ProgramInstance):
            return self.call_instance(callee, args[0] if args else kwargs.get("inputs"), line)
        if isinstance(callee, v.OwnModuleClass):
            return v.OwnModule(callee)
        if isinstance(callee, v.OwnModule) and any(
            v.is_symbolic(a) for a in [*args, *kwargs.values()]
        ):
            self.report(
                line,
                f"{callee.cls.name} (line {callee.cls.line}) is your own Synalinks module, and "
                "Synalinks Canvas has no node for modules written in a script yet (a library "
                "of your own modules is planned); build this step with the catalogue's "
                "modules, or add it after importing",
            )
            return None
        if isinstance(callee, v.Program):
            argument = args[0] if args else kwargs.get("inputs")
            if v.is_symbolic(argument):
                return self.apply_program(callee, argument, line, hint)
            if callee.example is None:
                callee.example = args[0] if args else kwargs.get("inputs")
            return None
        if isinstance(callee, v.DataModelClass):
            instance = v.Instance(callee.name)
            for key, value in kwargs.items():
                try:
                    instance.values[key] = v.plain(value)
                except ValueError:
                    pass
            return instance
        if isinstance(callee, v.Function):
            return self.call_function(callee, args, kwargs, line)
        if isinstance(callee, v.Unsupported):
            self._refuse_unsupported(callee.name, line, args, kwargs)
            return None
        if any(v.is_symbolic(a) for a in [*args, *kwargs.values()]):
            shown = ast.unparse(call.func)
            self.report(
                line,
                f"`{shown}(...)` receives part of the program, but the importer only follows "
                "Synalinks modules; build that part with modules, or add it after importing",
            )
        return None

    def evaluate_fstring(self, expr: ast.JoinedStr, env: Env) -> v.Literal | None:
        """``f"step_{i}"``: a string when every part is a literal (or a loop variable)."""
        parts: list[str] = []
        for part in expr.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
                continue
            if not isinstance(part, ast.FormattedValue):
                return None
            value = self.evaluate(part.value, env)
            spec = self.evaluate(part.format_spec, env) if part.format_spec else v.Literal("")
            if not isinstance(value, v.Literal) or not isinstance(spec, v.Literal):
                return None
            shown = {115: str, 114: repr, 97: ascii}.get(part.conversion, lambda x: x)(value.value)
            try:
                parts.append(format(shown, spec.value))
            except (TypeError, ValueError):
                return None
        return v.Literal("".join(parts))

    def synalinks_call(self, name: str, call: ast.Call, env: Env, hint: Any) -> Any:
        args = [self.evaluate(a, env) for a in call.args]
        kwargs = {k.arg: self.evaluate(k.value, env) for k in call.keywords if k.arg}
        line = call.lineno
        unpacked = [ast.unparse(a) for a in call.args if isinstance(a, ast.Starred)]
        unpacked += [f"**{ast.unparse(k.value)}" for k in call.keywords if k.arg is None]
        if unpacked and name not in HARMLESS_SYNALINKS:
            self.report(
                line,
                f"synalinks.{name}(...) unpacks {', '.join(unpacked)}; the importer cannot "
                "tell which arguments that gives, and leaves them out: write them out one by one",
                "warning",
            )
        creates_node = name == "Input" or name in OPS_MERGES
        if creates_node and self._loops:
            self.report(line, f"synalinks.{name} is called inside a loop; write each call out")
            return None
        if name == "Input":
            return self.make_input(kwargs, line, self.auto_name_of("Input", kwargs))
        if name in MODULE_KINDS:
            if args:
                self.report(line, f"synalinks.{name} takes keyword arguments only")
            module = v.Module(name, kwargs, call, variable=_single(hint))
            module.auto_name = self.auto_name_of(name, kwargs)
            return module
        if name in self.catalogue:
            return self.catalogue_module(self.catalogue[name], args, kwargs, call, hint, name)
        if name in OPS_MERGES:
            kind = OPS_MERGES[name]
            if kwargs.get("description") is not None:
                self.report(
                    line,
                    f"synalinks.{name} description= is not kept: the graph's {kind} node has "
                    "no description (remove it, or note it in the graph's description)",
                    "warning",
                )
            return self.make_merge(
                kind,
                {k: a for k, a in kwargs.items() if k != "description"},
                v.Sequence(list(args)),
                line,
                _operation_name(self.auto_name_of(kind, kwargs)),
            )
        if name == "LanguageModel":
            model = kwargs.get("model", args[0] if args else None)
            api_base = kwargs.get("api_base")
            lm = v.LanguageModel(_text(model), _text(api_base), line, variable=_single(hint))
            self.language_models.append(lm)
            return lm
        if name == "EmbeddingModel":
            return self.make_embedding_model(args, kwargs, line)
        if name == "KnowledgeBase":
            return self.make_knowledge_base(args, kwargs, line)
        if name == "Program":
            return self.make_program(args, kwargs, line)
        if name == "Sequential":
            return self.make_sequential(args, kwargs, line)
        if name in HARMLESS_SYNALINKS or name in ("DataModel", "Field"):
            return None
        if any(v.is_symbolic(a) for a in [*args, *kwargs.values()]):
            self._refuse_unsupported(name, line, args, kwargs)
            return None
        return v.Unsupported(name, line)

    def _refuse_unsupported(self, name: str, line: int, args: list, kwargs: dict) -> None:
        if any(v.is_symbolic(a) for a in [*args, *kwargs.values()]):
            self.report(
                line,
                f"synalinks.{name} has no Synalinks Canvas node yet (supported: Input, the "
                "modules of the Synalinks module catalogue and Program); replace it or add that "
                "step after importing",
            )

    def evaluate_operator(self, expr: ast.BinOp, env: Env, hint: Any) -> Any:
        """``a | b | c`` becomes one Or of three inputs; ``&`` and ``+`` chains likewise.

        Synalinks' And, Or and Concat modules fold their inputs pairwise, left to
        right, exactly as the chained operators do, so one merge gives the same
        result and a round trip keeps one node. ``^`` is different: the Xor
        module keeps the one present input of all (None when several are) while
        ``a ^ b ^ c`` folds pairwise, so a chain of ``^`` becomes nested Xor
        merges of two. A parenthesised right operand always nests.
        """
        kind = OPERATORS.get(type(expr.op))
        operands: list[ast.expr] = [expr.right]
        left = expr.left
        while (
            kind not in (None, "Xor")
            and isinstance(left, ast.BinOp)
            and type(left.op) is type(expr.op)
        ):
            operands.append(left.right)
            left = left.left
        operands.append(left)
        operands.reverse()
        items = [self.evaluate(o, env) for o in operands]
        if all(isinstance(i, v.Literal) for i in items):
            return _constant(expr.op, [i.value for i in items])
        if not kind or not any(v.is_symbolic(i) or isinstance(i, v.DataModelClass) for i in items):
            return None
        if self._loops:
            self.report(expr.lineno, "a merge operator is used inside a loop; write each merge out")
            return None
        if not all(isinstance(i, v.NodeOutput) for i in items):
            self.report(
                expr.lineno,
                f"`{ast.unparse(expr)}` combines something other than module outputs "
                "(a DataModel class?); combine outputs of Input or modules only",
            )
            return None
        auto = ""
        for _ in items[1:]:  # Synalinks folds a chain into one operation per operator
            auto = self.auto_names.take(kind)
        return self.make_merge(kind, {}, v.Sequence(items), expr.lineno, _operation_name(auto))

    def make_program(
        self, args: list, kwargs: dict[str, Any], line: int, owner: Any = None
    ) -> v.Program | None:
        """``synalinks.Program(inputs=..., outputs=...)``; ``owner`` is the subclassed
        program whose ``super().__init__`` this is (it already has its name)."""
        for key in kwargs:
            if key not in PROGRAM_ARGS:
                self.report(
                    line,
                    f"Program argument {key}= is ignored (the graph has no place for it)",
                    "warning",
                )
        if owner is None:
            name, description = self.program_name("Program", kwargs, line)
        else:
            name = _text(kwargs.get("name")) or owner.name
            description = _text(kwargs.get("description")) or owner.description
        inputs = kwargs.get("inputs", args[0] if args else None)
        outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
        input_list = _flatten(inputs)
        output_list = _flatten(outputs)
        if not input_list or not all(
            isinstance(i, v.NodeOutput) and self.nodes[i.index].type == "Input" for i in input_list
        ):
            self.report(line, "Program inputs= must be synalinks.Input(...) variables")
            return None
        if not output_list or not all(isinstance(o, v.NodeOutput) for o in output_list):
            self.report(
                line,
                "Program outputs= must be module outputs (variables holding `await module(...)`)",
            )
            return None
        program = v.Program(input_list, output_list, name, description, line)
        program.single_output = isinstance(outputs, v.NodeOutput)
        self.programs.append(program)
        return program

    def make_sequential(self, args: list, kwargs: dict[str, Any], line: int) -> v.Program:
        """``synalinks.Sequential([Input, module, ...])``: a chain, each module called on
        the output of the one before (``add`` continues it)."""
        for key in kwargs:
            if key not in ("modules", "name", "description", "trainable"):
                self.report(line, f"Sequential argument {key}= is ignored", "warning")
        name, description = self.program_name("Sequential", kwargs, line)
        program = v.Program([], [], name, description, line, sequential=True)
        self.programs.append(program)
        steps = kwargs.get("modules", args[0] if args else None)
        if steps is not None and not isinstance(steps, v.Sequence):
            self.report(line, "Sequential takes a list of Input and modules written in the call")
        for item in steps.items if isinstance(steps, v.Sequence) else []:
            self.sequential_add(program, item, line)
        return program

    def sequential_add(self, program: v.Program, item: Any, line: int) -> None:
        if isinstance(item, v.NodeOutput) and self.nodes[item.index].type == "Input":
            if program.inputs:
                self.report(line, "a Sequential program takes one synalinks.Input, first")
                return
            program.inputs, program.outputs = [item], [item]
            return
        if not program.inputs:
            self.report(
                line,
                "the Sequential program has no synalinks.Input(data_model=...) first, so its "
                "input data model is unknown; add the Input as its first module",
            )
            return
        if not isinstance(item, v.Module):
            self.report(
                line, "a Sequential program takes Synalinks modules (and an Input first) only"
            )
            return
        output = self.apply_module(item, program.outputs[0], line, None)
        if isinstance(output, v.NodeOutput):
            program.outputs = [output]

    def program_name(
        self, class_name: str, kwargs: dict[str, Any], line: int
    ) -> tuple[str, str | None]:
        """A program's name (Synalinks' own when none is given) and description."""
        explicit = kwargs.get("name", v.Literal(None))
        name = _text(explicit)
        if isinstance(explicit, v.Literal) and explicit.value is None:
            name = self.auto_names.take(class_name)
        elif name is None:
            name = f"{snake_case(CLASS_NAMES.get(class_name, class_name))}_line_{line}"
            self.report(
                line,
                f"the program's name= is not a string the importer can work out; the graph is "
                f"named {name!r}: write the name as a literal",
                "warning",
            )
        description = kwargs.get("description")
        if description is not None and _text(description) is None and not _is_none(description):
            self.report(
                line,
                "the program's description= is not a string literal; the graph has none: "
                "write it as a literal",
                "warning",
            )
        return name, _text(description)

    # ------------------------------------------------- subclassed programs
    def instantiate(
        self, cls: v.ProgramClass, call: ast.Call, args: list, kwargs: dict[str, Any]
    ) -> v.ProgramInstance:
        """``MyProgram(...)``: runs ``__init__`` (Program's own when the class has none)."""
        instance = v.ProgramInstance(cls, call.lineno)
        self._instances.append(instance)
        if "__init__" in cls.methods:
            self.run_method(instance, "__init__", args, kwargs, call.lineno)
        else:
            self.program_init(instance, args, kwargs, call.lineno)
        if instance.name is None:  # no super().__init__ seen: Synalinks' name all the same
            self.program_init(instance, [], {}, call.lineno)
        return instance

    def program_init(
        self, instance: v.ProgramInstance, args: list, kwargs: dict[str, Any], line: int
    ) -> None:
        """``super().__init__(...)``: with ``inputs=`` and ``outputs=`` it makes the
        program (named as the instance is), else it names the instance as Synalinks
        does (the class name in snake case, the docstring's first line)."""
        if "inputs" in kwargs or "outputs" in kwargs or len(args) > 1:
            program = self.make_program(args, kwargs, line, owner=instance)
            if program is not None:
                instance.program = program
            return
        if instance.name is not None:
            return
        instance.name, description = self.program_name(instance.cls.definition.name, kwargs, line)
        instance.description = description or instance.cls.description

    def attribute(self, instance: v.ProgramInstance, name: str) -> Any:
        if name in instance.attributes:
            return instance.attributes[name]
        if name in ("name", "description"):
            return v.Literal(getattr(instance, name))
        if name == "trainable":
            return v.Literal(True)
        return None

    def arguments(self, call: ast.Call, env: Env) -> tuple[list, dict[str, Any]]:
        args = [self.evaluate(a, env) for a in call.args if not isinstance(a, ast.Starred)]
        kwargs = {k.arg: self.evaluate(k.value, env) for k in call.keywords if k.arg}
        return args, kwargs

    def method_call(self, instance: v.ProgramInstance, name: str, call: ast.Call, env: Env) -> Any:
        """``program.build(inputs)`` or another method of the class, run on ``instance``."""
        args, kwargs = self.arguments(call, env)
        if name == "build" and instance.program is not None:
            return None  # built already: Synalinks builds a program once
        if name in instance.cls.methods:
            return self.run_method(instance, name, args, kwargs, call.lineno)
        self.report(
            call.lineno,
            f"class {instance.cls.definition.name} has no build(); write `async def "
            "build(self, inputs)` that builds the program with the functional API and ends "
            "with super().__init__(inputs=inputs, outputs=outputs, name=self.name, "
            "description=self.description)",
        )
        return None

    def call_instance(self, instance: v.ProgramInstance, argument: Any, line: int) -> Any:
        """``await program(Query(...))``: Synalinks builds an unbuilt program on its first
        call, with an input of the data model it is given."""
        if instance.program is None and isinstance(argument, v.Instance):
            data_model = self.globals.get(argument.class_name)
            if isinstance(data_model, v.DataModelClass):
                inputs = self.make_input(
                    {"data_model": data_model}, line, self.auto_names.take("Input")
                )
                self.run_method(instance, "build", [inputs], {}, line)
        if instance.program is not None and instance.program.example is None:
            instance.program.example = argument
        return None

    def run_method(
        self, instance: v.ProgramInstance, name: str, args: list, kwargs: dict[str, Any], line: int
    ) -> Any:
        """Run a method with ``self`` the instance and the call's arguments bound to its
        parameters (defaults included), as Python would; what it returns."""
        definition = instance.cls.methods.get(name)
        if definition is None or name in instance.running:
            return None
        instance.running.add(name)
        self._selves.append(instance)
        self._returns.append([])
        loops, self._loops = self._loops, 0
        try:
            env = self.bind_arguments(definition, [instance, *args], kwargs, line)
            self.run_block(definition.body, env)
        finally:
            self._loops = loops
            returned = self._returns.pop()
            self._selves.pop()
            instance.running.discard(name)
        return next((r for r in returned if r is not None), None)

    def bind_arguments(
        self,
        definition: ast.FunctionDef | ast.AsyncFunctionDef,
        args: list,
        kwargs: dict[str, Any],
        line: int,
    ) -> Env:
        """The parameters of ``definition`` given ``args`` and ``kwargs``; a parameter
        given nothing takes its default (read where the function is written)."""
        spec = definition.args
        positional = [*spec.posonlyargs, *spec.args]
        env: Env = {}
        defaults = dict(zip([a.arg for a in positional[::-1]], spec.defaults[::-1], strict=False))
        defaults.update(
            {a.arg: d for a, d in zip(spec.kwonlyargs, spec.kw_defaults, strict=True) if d}
        )
        for parameter, value in zip(positional, args, strict=False):
            env[parameter.arg] = value
        extra = args[len(positional) :]
        if spec.vararg is not None:
            env[spec.vararg.arg] = v.Sequence(list(extra))
        elif extra:
            self.report(
                line, f"{definition.name}() is given {len(extra)} argument(s) more than it takes"
            )
        named = {a.arg for a in [*spec.args, *spec.kwonlyargs]}
        unknown = {}
        for key, value in kwargs.items():
            if key in named:
                env[key] = value
            else:
                unknown[key] = value
        if spec.kwarg is not None:
            env[spec.kwarg.arg] = None
        elif unknown:
            self.report(
                line, f"{definition.name}() takes no argument {', '.join(map(repr, unknown))}"
            )
        for parameter in [*positional, *spec.kwonlyargs]:
            if parameter.arg not in env:
                default = defaults.get(parameter.arg)
                env[parameter.arg] = self.evaluate(default, self.globals) if default else None
        return env

    def call_function(
        self,
        function: v.Function,
        args: list | None = None,
        kwargs: dict[str, Any] | None = None,
        line: int = 0,
    ) -> Any:
        """Read a function of the script once, its parameters bound to what its
        first call passes (a builder given the language model, say), else None."""
        if function.evaluated or function.running:
            return function.returned
        function.running = True
        self._returns.append([])
        env: Env = {}
        arguments = function.definition.args
        for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            env[arg.arg] = None
        for extra in (arguments.vararg, arguments.kwarg):
            if extra is not None:
                env[extra.arg] = None
        if args or kwargs:
            bound = self.bind_arguments(function.definition, args or [], kwargs or {}, line)
            # A model the script picks at run time (main's --model) tells nothing:
            # the function's own default model is the one the graph keeps.
            env.update(
                (k, value)
                for k, value in bound.items()
                if not (
                    isinstance(value, (v.LanguageModel, v.EmbeddingModel)) and value.model is None
                )
            )
        loops, self._loops = self._loops, 0
        try:
            self.run_block(function.definition.body, env)
        finally:
            self._loops = loops
            returned = self._returns.pop()
            function.running = False
            function.evaluated = True
        function.returned = next((r for r in returned if r is not None), None)
        return function.returned


def _target_hint(target: ast.expr) -> Any:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, (ast.Tuple, ast.List)):
        return [e.id if isinstance(e, ast.Name) else None for e in target.elts]
    return None


def _single(hint: Any) -> str | None:
    return hint if isinstance(hint, str) else None


def _as_load(target: ast.expr) -> ast.expr:
    copy = ast.Name(id=target.id, ctx=ast.Load()) if isinstance(target, ast.Name) else target
    return ast.copy_location(copy, target)


def _text(value: Any) -> str | None:
    if isinstance(value, v.Literal) and isinstance(value.value, str):
        return value.value
    return None


def _constant(op: ast.operator, values: list[Any]) -> v.Literal | None:
    """``"step_" + "1"`` or ``i + 1``: the value, for strings and numbers only."""
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in values)
    strings = all(isinstance(x, str) for x in values)
    result = values[0]
    for value in values[1:]:
        if isinstance(op, ast.Add) and (numbers or strings):
            result = result + value
        elif isinstance(op, (ast.Sub, ast.Mult)) and numbers:
            result = result - value if isinstance(op, ast.Sub) else result * value
        else:
            return None
    return v.Literal(result)


def _leaves_early(body: list[ast.stmt]) -> bool:
    """Whether a ``break`` or ``continue`` of this loop is in ``body``."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Break, ast.Continue)):
            return True
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            stack.extend(node.orelse)  # an inner loop's own break is its own
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def _operation_name(name: str | None) -> str | None:
    """An operation's name as a node name. Operations (``a | b``, ``ops.concat``) are
    not modules of the program, so their names (``or``, ``concat_1``) are seen nowhere
    in Synalinks: a keyword among them is fixed without a word."""
    return sanitize_identifier(name, name) if name and identifier_problem(name) else name


def _is_none(value: Any) -> bool:
    return isinstance(value, v.Literal) and value.value is None


def _truthy(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, v.Literal):
        return bool(value.value)
    return True


def _flatten(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, v.Sequence):
        return [x for item in value.items for x in _flatten(item)]
    return [value]
