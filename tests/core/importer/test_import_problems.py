"""What the importer refuses or leaves out is reported with file, line and what to do."""

from __future__ import annotations

import textwrap

import pytest

from core.importer import ScriptImportError, import_python, import_python_file

BASE = """
import synalinks

class Q(synalinks.DataModel):
    q: str

async def build():
    x0 = synalinks.Input(data_model=Q)
{body}
    return synalinks.Program(inputs=x0, outputs=[x1])
"""


def script(body: str) -> str:
    return BASE.format(body=textwrap.indent(textwrap.dedent(body).strip("\n"), "    "))


def refused(source: str, registry) -> ScriptImportError:
    with pytest.raises(ScriptImportError) as raised:
        import_python(source, registry, "user_script.py")
    return raised.value


def line_of(source: str, needle: str) -> int:
    return next(i for i, line in enumerate(source.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("body", "needle", "advice"),
    [
        (
            "x1 = await synalinks.MyOwnModule(data_model=Q)(x0)",
            "MyOwnModule",
            "has no Synalinks Canvas node yet",
        ),
        (
            "x1 = await synalinks.FunctionCallingAgent(data_model=Q)(x0)",
            "FunctionCallingAgent",
            "needs tools=",
        ),
        (
            "x1 = await synalinks.Generator(schema=Q.get_schema())(x0)",
            "schema=",
            "instead of a schema",
        ),
        (
            "x1 = await synalinks.Generator(data_model=Q, return_inputs=True)(x0)",
            "return_inputs",
            "Concat the input with the output",
        ),
        (
            "x1 = await synalinks.Decision(question=f'{x0}?', labels=['a', 'b'])(x0)",
            "Decision",
            "question= as a plain string literal",
        ),
        (
            "x1 = await synalinks.Generator(data_model=Q)([x0, x0])",
            "Generator(data_model=Q)([x0, x0])",
            "merge several with synalinks.Concat first",
        ),
        (
            "x1 = x0\nfor _ in range(len(sys.argv)):\n    x1 = await synalinks.Generator(data_model=Q)(x1)",
            "synalinks.Generator(data_model=Q)(x1)",
            "the importer does not run loops",
        ),
        (
            "g = synalinks.Generator(data_model=Q)\nx1 = await g(x0)\nx2 = await g(x1)",
            "x2 = await g(x1)",
            "create a second module for this call",
        ),
        (
            "x1 = my_helper(x0)",
            "my_helper(x0)",
            "the importer only follows Synalinks modules",
        ),
        (
            "x1 = await x0.out_mask(mask=['q'])",
            "out_mask",
            "the graph has no node for .out_mask()",
        ),
    ],
)
def test_unsupported_constructs_are_refused_with_their_line(body, needle, advice, registry):
    source = script(body)
    error = refused(source, registry)
    text = str(error)
    assert "user_script.py: cannot import this script" in text
    assert advice in text
    assert any(p.line == line_of(source, needle) for p in error.problems), text


def test_unsupported_field_types_are_refused(registry):
    source = textwrap.dedent(
        """
        import synalinks

        class Inner(synalinks.DataModel):
            x: str

        class Outer(synalinks.DataModel):
            inner: Inner
            table: dict[str, int]
            either: int | str

        x0 = synalinks.Input(data_model=Outer)
        program = synalinks.Program(inputs=x0, outputs=x0)
        """
    )
    text = str(refused(source, registry))
    assert f"user_script.py:{line_of(source, 'inner: Inner')}: error" not in text  # nested: fine
    assert "dict[str, int] is not supported" in text
    assert "is a union; use one type" in text


def test_scripts_without_or_with_two_programs_are_refused(registry):
    text = str(refused("import synalinks\nx = 1\n", registry))
    assert "no synalinks.Program(inputs=..., outputs=...) found" in text
    two = script(
        "x1 = await synalinks.Generator(data_model=Q)(x0)\nsynalinks.Program(inputs=x0, outputs=x1)"
    )
    assert "builds 2 programs" in str(refused(two, registry))


def test_syntax_errors_give_the_line(registry):
    error = refused("import synalinks\n\ndef broken(:\n    pass\n", registry)
    assert error.problems[0].line == 3
    assert "not valid Python" in str(error)


def test_details_the_graph_leaves_out_are_warnings(registry):
    source = textwrap.dedent(
        """
        import synalinks

        class Q(synalinks.DataModel):
            q: str = synalinks.Field(description="d", examples=["x"])
            n: int = 3

            def helper(self):
                return 1

        x0 = synalinks.Input(data_model=Q)
        x1 = synalinks.Generator(data_model=Q, prompt_template="{{ x }}", max_tokens=10)(x0)
        program = synalinks.Program(inputs=x0, outputs=x1)
        """
    )
    result = import_python(source, registry, "user_script.py")
    messages = [str(w) for w in result.warnings]
    assert all(w.severity == "warning" for w in result.warnings)
    assert any("Field argument examples= is ignored" in m for m in messages)
    assert not any("default" in m for m in messages)  # n = 3 is kept
    assert result.graph.data_models["Q"].field("n").default == 3
    assert any("method helper() is ignored" in m for m in messages)
    assert any("prompt_template= is ignored" in m for m in messages)
    assert any("max_tokens= is ignored" in m for m in messages)
    line = line_of(source, "prompt_template")
    assert any(m.startswith(f"user_script.py:{line}: warning") for m in messages)


def test_duplicate_and_invalid_names_are_fixed_with_a_warning(registry):
    source = script(
        """
        a = await synalinks.Generator(data_model=Q, name="same")(x0)
        x1 = await synalinks.Generator(data_model=Q, name="same")(a)
        b = await synalinks.Generator(data_model=Q, name="not valid!")(x0)
        """
    )
    result = import_python(source, registry)
    names = {n.name for n in result.graph.nodes.values()}
    assert {"same", "same_1", "not_valid"} <= names
    assert sum("two modules are named 'same'" in str(w) for w in result.warnings) == 1
    assert any("the name 'not valid!' cannot be a node name" in str(w) for w in result.warnings)


def test_the_script_is_never_executed(registry, tmp_path):
    sentinel = tmp_path / "ran.txt"
    source = textwrap.dedent(
        f"""
        import os
        import synalinks
        open({str(sentinel)!r}, "w").write("module level")
        os.system("touch {sentinel}")

        class Q(synalinks.DataModel):
            q: str = synalinks.Field(description=open({str(sentinel)!r}, "w").write("x") and "d")

        async def build():
            __import__("pathlib").Path({str(sentinel)!r}).write_text("in build")
            x0 = synalinks.Input(data_model=Q)
            x1 = await synalinks.Generator(data_model=Q)(x0)
            return synalinks.Program(inputs=x0, outputs=x1)

        if __name__ == "__main__":
            import asyncio
            asyncio.run(build())
        """
    )
    path = tmp_path / "script.py"
    path.write_text(source)
    with pytest.raises(ScriptImportError):
        import_python_file(path, registry)  # the Field description is not a literal
    assert not sentinel.exists()
    fixed = path.read_text().replace(
        f'description=open({str(sentinel)!r}, "w").write("x") and "d"', 'description="d"'
    )
    path.write_text(fixed)
    result = import_python_file(path, registry)
    assert result.graph.node_by_name("generator").type == "Generator"
    assert not sentinel.exists()


def test_unreadable_files_are_reported(tmp_path, registry):
    with pytest.raises(ScriptImportError, match="no such file"):
        import_python_file(tmp_path / "missing.py", registry)
    with pytest.raises(ScriptImportError, match="is a folder"):
        import_python_file(tmp_path, registry)
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScriptImportError, match="not UTF-8"):
        import_python_file(binary, registry)
