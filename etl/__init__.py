"""ETL: read one-stop-shop exports (DATA-CONTRACT.md), validate every row, load a batch."""
