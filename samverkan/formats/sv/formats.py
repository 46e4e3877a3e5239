# Swedish dates as people write them: "onsdag 4 maj 2022 kl. 09.00".
DATE_FORMAT = r"l j F Y"
SHORT_DATE_FORMAT = "Y-m-d"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = r"l j F Y \k\l. H.i"
SHORT_DATETIME_FORMAT = "Y-m-d H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H.%M", "%Y-%m-%d"]
