"""Reports a reader forwards: the finance workbook (and, on another branch, the HTML report)."""
