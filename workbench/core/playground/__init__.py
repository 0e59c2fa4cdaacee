"""The Playground's pure side: chat sessions and their answers, blind rating and tallies, held-out
evaluation plans and reports, turning conversations into training examples, and storage.

Nothing here talks to a model: ``workbench.providers.chat_stream`` / ``parallel_chat`` /
``eval_runner`` do, and hand back the ``Answer`` values defined here.
"""
