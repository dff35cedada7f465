"""briefcheck: makes Dutch municipal letters understandable, friendly and clear.

Data flows one way: source (text, .docx) → blocks with positions → spaCy Doc → checks →
report → formatter. Nothing heavy is loaded at import time.
"""

__version__ = "0.1.0"
