# The seed lesson's code, copied verbatim from the "Source" section of
# shared/seed/parallel_branches_lesson.md (examples/2_parallel_branches.py).
# It keeps the lesson's own import order (synalinks is first-party there).
# ruff: noqa: I001

import asyncio

from dotenv import load_dotenv

import synalinks

# =============================================================================
# STEP 1: Define Data Models
# =============================================================================


class Query(synalinks.DataModel):
    """The input query to analyze."""

    query: str = synalinks.Field(
        description="The user query",
    )


class AnswerWithThinking(synalinks.DataModel):
    """An answer with step-by-step reasoning."""

    thinking: str = synalinks.Field(
        description="Your step by step thinking",
    )
    answer: str = synalinks.Field(
        description="The correct answer",
    )


# =============================================================================
# STEP 2: Build and Run the Program
# =============================================================================


async def main():
    load_dotenv()

    # Enable observability for tracing (view traces at http://localhost:5000)
    synalinks.enable_observability(
        tracking_uri="http://localhost:5000",
        experiment_name="lesson_2_parallel_branches",
    )

    language_model = synalinks.LanguageModel(
        model="gemini/gemini-3.1-flash-lite-preview",
    )

    # -------------------------------------------------------------------------
    # 2.1: Create Parallel Branches
    # -------------------------------------------------------------------------
    print("=" * 60)
    print("Building a Program with Parallel Branches")
    print("=" * 60)

    # Create the input
    inputs = synalinks.Input(data_model=Query)

    # Create TWO generators that both use the SAME input
    # This automatically creates parallel branches!
    # Both will run concurrently using asyncio
    branch_1 = await synalinks.Generator(
        data_model=AnswerWithThinking,
        language_model=language_model,
        name="branch_1",
    )(inputs)

    branch_2 = await synalinks.Generator(
        data_model=AnswerWithThinking,
        language_model=language_model,
        name="branch_2",
    )(inputs)

    # Create program with MULTIPLE outputs (as a list)
    program = synalinks.Program(
        inputs=inputs,
        outputs=[branch_1, branch_2],  # <-- List of outputs
        name="parallel_branches",
        description="Demonstrates parallel execution of modules",
    )

    # Generate visualization
    synalinks.utils.plot_program(
        program,
        to_folder="examples",
        show_module_names=True,
        show_schemas=True,
        show_trainable=True,
    )

    # -------------------------------------------------------------------------
    # 2.2: Run the Program
    # -------------------------------------------------------------------------
    print("\nRunning the program (both branches execute in parallel)...")
    print("-" * 60)

    result = await program(
        Query(query="What is the meaning of life?"),
    )

    # Result is a LIST because we have multiple outputs
    print(f"\nGot {len(result)} results from parallel branches:\n")

    for i, branch_result in enumerate(result, 1):
        print(f"Branch {i} Answer:")
        print(f"  {branch_result['answer'][:80]}...")
        print()


if __name__ == "__main__":
    asyncio.run(main())
