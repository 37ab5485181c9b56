"""Reading results: words in English and Danish, the house style and the charts."""
