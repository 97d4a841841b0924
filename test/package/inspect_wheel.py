"""What a Python user gets from the wheel `npm run package:python` builds, read without installing it.

Importing the package needs jsii's Python runtime and the aws-cdk-lib and constructs Python packages, so this
reads the wheel instead: the classes and keyword arguments of the generated module (parsed with `ast`), the
requirements in its metadata, and the files of the npm tarball it embeds for the jsii runtime; and of the README's
Python blocks, parsed too, the names they import from the package and the keyword arguments they pass to them.
Prints one JSON object.
"""

import ast
import io
import json
import re
import sys
import tarfile
import zipfile

MODULE = "cdk_statsig_s3_ingestion"


def keyword_arguments(cls: ast.ClassDef) -> list[str]:
    """The keyword-only arguments of the class's constructor and methods: where jsii puts the props."""
    return sorted(
        {arg.arg for node in cls.body if isinstance(node, ast.FunctionDef) for arg in node.args.kwonlyargs}
    )


def methods(cls: ast.ClassDef) -> list[str]:
    return sorted(node.name for node in cls.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"))


def called_name(func: ast.expr) -> str:
    """`Name(...)` or `Name.method(...)`: the name the call goes through."""
    if isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else ""


def readme_usage(readme_path: str) -> dict[str, list[str]]:
    with open(readme_path, encoding="utf8") as readme:
        blocks = re.findall(r"```python\n(.*?)```", readme.read(), re.S)
    imports: list[str] = []
    calls: list[str] = []
    keywords: list[str] = []
    for block in blocks:
        tree = ast.parse(block)
        imports += [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == MODULE
            for alias in node.names
        ]
        calls += [
            f"{node.func.value.id}.{node.func.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and called_name(node.func) in imports
        ]
        keywords += [
            keyword.arg
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and called_name(node.func) in imports
            for keyword in node.keywords
            if keyword.arg is not None
        ]
    return {"blocks": len(blocks), "imports": imports, "calls": calls, "keywords": keywords}


def main(wheel_path: str, readme_path: str) -> None:
    with zipfile.ZipFile(wheel_path) as wheel:
        names = wheel.namelist()
        module = ast.parse(wheel.read(f"{MODULE}/__init__.py"))
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = wheel.read(metadata_name).decode("utf8")
        embedded_name = next(name for name in names if name.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(wheel.read(embedded_name)), mode="r:gz") as embedded:
            embedded_files = embedded.getnames()
    classes = {
        node.name: {"keywords": keyword_arguments(node), "methods": methods(node)}
        for node in module.body
        if isinstance(node, ast.ClassDef)
    }
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    usage = readme_usage(readme_path)
    json.dump({"classes": classes, "requires": requires, "embedded": embedded_files, "readme": usage}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
