import Foundation

/// Finding a deadline phrase inside a task's sentence (`… к 1 сентября 2021 года`, `… в 2023 г.`).
extension DeadlineParser {
    private static let dash = "[-–—−]"
    /// The adjectives of a work that recurs, without their endings: `ежедневн`ый, `ежемесячн`ая.
    static let recurrenceStem = "(?:ежедневн|еженедельн|ежемесячн|ежеквартальн|ежегодн)"
    private static let numeric = #"\d{1,2}\.\d{1,2}\.(?:(?:19|20)\d{2}|\d{2})(?![\d])(?:\s*(?:г\.?|года)(?![а-яё]))?"#
    private static let textual = #"(?:\d{1,2}|"# + Russian.ordinalDayPattern + #")\s+"# + Russian.monthPattern + #"(?![а-яё])(?:\s+\d{4}(?:\s*(?:г\.?|года)(?![а-яё]))?)?"#
    private static let date = "(?:\(numeric)|\(textual))"
    private static let textualWithYear = #"\d{1,2}\s+"# + Russian.monthPattern + #"(?![а-яё])\s+\d{4}(?:\s*(?:г\.?|года)(?![а-яё]))?"#
    /// Days of one month listed: `14 и 28 октября`, `четырнадцатого и двадцать восьмого октября 2025 г.`.
    private static let dayListed = #"(?:\d{1,2}|"# + Russian.ordinalDayPattern + #")(?:\s*,\s*(?:\d{1,2}|"# + Russian.ordinalDayPattern + #"))*\s+и\s+(?:\d{1,2}|"# + Russian.ordinalDayPattern + #")\s+"# + Russian.monthPattern + #"(?![а-яё])(?:\s+\d{4}(?:\s*(?:г\.?|года)(?![а-яё]))?)?"#
    /// Days of two months: `29 октября и 5 ноября 2025 г.`.
    private static let dayOfMonthListed = #"\d{1,2}\s+"# + Russian.monthPattern + #"(?![а-яё])\s+и\s+\d{1,2}\s+"# + Russian.monthPattern + #"(?![а-яё])\s+\d{4}(?:\s*(?:г\.?|года)(?![а-яё]))?"#
    /// A month in the nominative, as a plan's cell names it: `февраль`.
    private static let monthNamed = Russian.nominativeMonthPattern + #"(?![а-яё])"#
    /// A day and month without a year: `до 15.09`.
    private static let shortNumeric = #"\d{1,2}\.\d{1,2}(?![\d]|\.\d|\s*(?:ч\.?|час|мин)(?![а-яё]))"#
    private static let yearWord = #"(?:г\.?|гг\.?|года|году|год)(?![а-яё])"#
    /// A date or a month (or two) with its year in parentheses: `(28 августа 2025 г.)`, `(ноябрь 2025 г.)`.
    private static let inParentheses = #"\(\s*(?:"# + date + "|" + Russian.monthPattern + #"(?:\s*[-–—−]\s*"# + Russian.monthPattern + #")?\s+\d{4}(?:\s*"# + yearWord + #")?)\s*\)"#

    /// Deadline phrases, strongest first. Matched case-insensitively on the sentence with quoted names masked.
    private static let phrases: [Pattern] = [
        // a recurrence with the day of each round (`в период летних каникул ежемесячно, до 5 числа, представлять …`): it
        // beats the period it recurs in; not the rounds after a first date (`до 1 декабря, далее – ежемесячно до 5 числа`)
        Pattern(#"(?<![а-яё])(?<!далее[\s,–—-]{1,4})(?:еженедельно|ежемесячно|ежеквартально|ежегодно)\s*,?\s*(?:до|не\s+позднее)\s+\d{1,2}(?:-?го)?\s+числа(?![а-яё])"#),
        // rounds after their first day (`с 09.02.2026 еженедельно по пятницам`, `начиная с 09.02.2026 ежедневно до 10.00`)
        Pattern(#"(?<=(?<![а-яё])с\s{1,2}\d{1,2}\.\d{1,2}\.\d{4},?\s{1,2}|(?<![а-яё])с\s{1,2}\d{1,2}\.\d{1,2}\.\d{4}\s?г\.,?\s{1,2}|(?<![а-яё])с\s{1,2}\d{1,2}\s[а-я]{3,8}(?:\s\d{4})?(?:\s?г\.|\sгода)?,?\s{1,2})(?:ежедневно|еженедельно|ежемесячно|ежеквартально|ежегодно)(?![а-яё])"#),
        // rounds from a first day on (`– еженедельно, по понедельникам до 12.00, начиная с 09.02.2026`): the rounds
        Pattern(#"(?<![а-яё])(?<!далее[\s,–—-]{1,4})(?:ежедневно|еженедельно|ежемесячно|ежеквартально|ежегодно)(?:\s*,?\s*по\s+[а-яё]+(?:ам|ям))?(?:\s+до\s+\d{1,2}[.:]\d{2})?(?=\s*,?\s*начиная\s+с\s)"#),
        // named stages without targets: корректировка – до 01.12.2025, утверждение – до 15.12.2025
        Pattern(#"(?<![а-яё])[а-яё]+(?:\s+[а-яё]+){0,2}\s*"# + dash + #"\s*(?:до|не\s+позднее)\s+"# + date + #"(?:\s*[,;]\s*[а-яё]+(?:\s+[а-яё]+){0,2}\s*"# + dash + #"\s*(?:до|не\s+позднее)\s+"# + date + ")+"),
        // с 01.09.2020 по 31.12.2020
        // (not a period reported on: `за период с 01.12 по 20.12.2025`, `о проведённых в период с 1 по 20 декабря …`)
        Pattern(#"(?<![а-яё])(?<!за\s)(?<!за\sпериод\s)(?<!проведенных\sв\sпериод\s)(?<!проведённых\sв\sпериод\s)с\s+(?:"# + date + "|" + shortNumeric + #")\s*(?:по|до|"# + dash + #")\s*"# + date),
        // days of one month as a dashed range: (в период) 16–20 марта 2026 года (not a period reported on, nor a day's hours)
        Pattern(#"(?<![а-яё\d.:])(?<!за\s)(?<!за\sпериод\s)(?<!проведенных\s)(?<!проведённых\s)(?:в\s+период\s+)?\d{1,2}\s*"# + dash + #"\s*\d{1,2}\s+"# + Russian.monthPattern + #"(?![а-яё])(?:\s+\d{4}(?:\s*"# + yearWord + ")?)?"),
        // a report after each period: (в срок) до 20 числа месяца, следующего за отчётным кварталом
        Pattern(#"(?<![а-яё])(?:в\s+срок\s+)?(?:(?:до|не\s+позднее)\s+\d{1,2}(?:-?го)?\s+числа|к\s+\d{1,2}(?:-?му)?\s+числу)\s+(?:первого\s+)?месяца\s*,?\s+следующего\s+за\s+отч[её]тным(?:\s+(?:кварталом|месяцем|годом|полугодием|периодом))?"#),
        // days of one month: (в период) с 25 по 29 августа (2025 года)
        Pattern(#"(?<![а-яё])(?<!проведенных\s)(?<!проведённых\s)(?<!за\s)(?:в\s+период\s+)?(?<!за\sпериод\s)(?<!проведенных\sв\sпериод\s)(?<!проведённых\sв\sпериод\s)с\s+\d{1,2}\s+(?:по|до)\s+\d{1,2}\s+"# + Russian.monthPattern + #"(?![а-яё])(?:\s+\d{4}(?:\s*"# + yearWord + ")?)?"),
        // the day of an event: (вебинар,) который состоится 12.12.2024, который пройдёт завтра, 18.10, в 10:00
        Pattern(#"(?<![а-яё])(?:состоится|состоятся|пройд[её]т|пройдут)\s*:?\s+(?:(?:сегодня|завтра|послезавтра)\s*,?\s+)?(?:в\s+)?(?:"# + dayListed + "|" + date + "|" + shortNumeric + ")"),
        // days listed with their month printed once (`1 и 8 декабря 2025 г.`), or with each its month (`29 октября и 5 ноября
        // 2025 г.`): the days of one piece of work, first to last
        // (not the days a thing is for: `графики дежурства на выходные дни 14 и 15 февраля … направить до …`)
        Pattern(#"(?<![а-яё\d.])(?<!до\s)(?<!к\s)(?<!на\s)(?<!дни\s)(?:"# + dayListed + "|" + dayOfMonthListed + ")"),
        // the day of an event named before its date: в день проведения итогового сочинения 3 декабря 2025 года, накануне
        // дня проведения … (02.12.2025)
        Pattern(#"(?<![а-яё])(?:в\s+день|накануне)\s+(?:[а-яё]+\s+){1,5}?\(?\s*"# + date + #"\s*\)?"#),
        // до / к / не позднее / в срок до + date
        // (the hour may come first: `до 14.00 13.02.2026`, `не позднее 12.00 13.02.2026`)
        Pattern(#"(?<![а-яё])(?:не\s+позднее|не\s+позже|в\s+срок\s+до|до|к)\s+(?:\d{1,2}[.:]\d{2}\s*(?:ч\.?\s*)?(?=\d{1,2}\.\d{1,2}\.\d{2,4}))?(?:"# + date + "|" + shortNumeric + ")"),
        // a meeting's day: к совещанию 27.11, до заседания методического совета 14.01.2026
        Pattern(#"(?<![а-яё])(?:к|ко|до)\s+(?:совещани|заседани|семинар|педсовет|педагогическ[а-яё]+\s+совет|конференци|собрани|коллеги)[а-яё]*(?:\s+[а-яё]+){0,2}?\s+(?:"# + date + "|" + shortNumeric + ")"),
        // days as a bare range, the start's year maybe left to the end: (в период) 04.12 – 10.12.2025 (not a reported period,
        // `за период 01.09 – 30.11.2025`)
        Pattern(#"(?<![а-яё\d.])(?<!за\s)(?<!за\sпериод\s)(?:в\s+период\s+)?(?:"# + numeric + "|" + shortNumeric + #")\s*"# + dash + #"\s*"# + numeric),
        // the start of an academic year: к началу (2022/2023) учебного года
        Pattern(#"(?<![а-яё])(?:к|до)\s+начал[уа]\s+(?:(?:нового|следующего|очередного)\s+)?(?:\d{4}\s*[-–—−/]\s*(?:\d{4}|\d{2})\s+)?учебного\s+года(?![а-яё])"#),
        // a start: (начиная) с 1 сентября 2021 года — the date the work must be under way by
        Pattern(#"(?<![а-яё])(?:начиная\s+)?с\s+"# + date + #"(?!\s*(?:по|до|"# + dash + #")\s*\d)"#),
        // a half of an academic year: во II полугодии 2024/2025 учебного года, до конца первого полугодия учебного года
        Pattern(#"(?<![а-яё])(?:до\s+конца|к\s+концу|до\s+начала|к\s+началу|по\s+итогам|в\s+течение|во?)\s+(?:ii|i|[12]|перв[а-яё]*|втор[а-яё]*)\s*(?:-?[а-яё]{1,2}\s+)?полугоди[а-яё]*(?:\s+(?:\d{4}\s*[-–—−/]\s*(?:\d{4}|\d{2})\s*)?(?:учебного\s+года|уч\.\s*(?:года|г\.?))|(?![а-яё])(?!\s*(?:\d|календарн|текущего|следующего|года|г\.)))"#),
        // academic years and year ranges
        Pattern(#"(?<![а-яё])(?:в\s+течение|в|на\s+протяжении|до\s+конца|к\s+концу)\s+\d{4}\s*[-–—−/]\s*(?:\d{4}|\d{2})(?!\d)\s*(?:уч\.?|учебн[а-яё]*)?\s*(?:г\.?|гг\.?|год[а-яё]*)(?![а-яё])"#),
        // until the end of a month, quarter, half
        Pattern(#"(?<![а-яё])(?:до\s+конца|к\s+концу|до\s+начала|к\s+началу|по\s+итогам|в\s+течение|во?|до)\s+(?:(?:iv|i{1,3}|[1-4])\s*[-–—−]\s*(?:iv|i{1,3}|[1-4])\s+|(?:iv|i{1,3}|[1-4]|перв[а-яё]*|втор[а-яё]*|трет[а-яё]*|четверт[а-яё]*)\s*(?:-?[а-яё]{1,2}\s+)?)(?:квартал|полугоди)[а-яё]*(?:\s+\d{4}(?:\s*"# + yearWord + #")?|\s+(?:следующего|текущего)\s+(?:календарного\s+)?года)?"#),
        // a month with its year after a dash, ending the sentence: Рассмотреть результаты … на заседаниях … – февраль 2026 г.
        // months named as such with their years as one span (`– декабрь 2025 г. – февраль 2026 г.`); not a period
        // reported on (`сведения за период декабрь 2025 года – февраль 2026 года`)
        Pattern(#"(?<!за\s)(?<!период\s)(?<![а-яё])"# + monthNamed + #"\s+\d{4}(?:\s*"# + yearWord + #")?\s*[-–—−]\s*"# + monthNamed + #"\s+\d{4}(?:\s*"# + yearWord + ")?"),
        // (a month named as such, not the tail of a range: `в ноябре – декабре 2025 года`)
        Pattern(#"(?<=[-–—]\s?)(?<!\d{4}(?:\s?г\.|\sгода)?\s[-–—]\s)"# + monthNamed + #"(?:\s*[-–—−]\s*"# + monthNamed + #")?\s+\d{4}(?:\s*"# + yearWord + #")?(?=\s*[.;]?\s*$)"#),
        // a half or quarter after a dash, ending the sentence: Повышение квалификации … – I полугодие.
        Pattern(#"(?<=[-–—]\s?)(?:(?:iv|i{1,3}|[1-4])\s*[-–—−]\s*)?(?:iv|i{1,3}|[1-4]|перв[а-яё]*|втор[а-яё]*|трет[а-яё]*|четв[её]рт[а-яё]*)\s*(?:-?[а-яё]{1,2}\s+)?(?:квартал|полугоди)[а-яё]*(?:\s+\d{4}(?:\s*"# + yearWord + #")?)?(?=\s*[.;]?\s*$)"#),
        // a day of each month: `в последнюю среду каждого месяца`
        // (`в каждую последнюю пятницу месяца`, `в последний рабочий день каждого квартала`)
        Pattern(#"(?<![а-яё])в\s+(?:кажд[а-яё]+\s+)?(?:последн|перв|втор|трет|четв[её]рт)[а-яё]*\s+(?:рабоч[а-яё]+\s+)?(?:понедельник|вторник|сред|четверг|пятниц|суббот|день)[а-яё]*\s+(?:каждого\s+)?(?:месяца|квартала)(?![а-яё])"#),
        // a time moved: `срок переносится на 28.11.2025`
        Pattern(#"(?<=срок\s(?:переносится|перенесен|продлевается|продлен)\s)(?:на|до)\s+"# + numeric),
        // months from one to another: в период с января по май 2026 года, с ноября 2025 года по май 2026 года
        Pattern(#"(?<![а-яё])(?:в\s+период\s+)?с\s+"# + Russian.monthPattern + #"(?![а-яё])(?:\s+\d{4}(?:\s*"# + yearWord + #")?)?\s+по\s+"# + Russian.monthPattern + #"(?![а-яё])\s+\d{4}(?:\s*"# + yearWord + ")?"),
        // months of two years as one span: в декабре 2025 года – феврале 2026 года
        Pattern(#"(?<![а-яё])(?:в|с)\s+"# + Russian.monthPattern + #"(?![а-яё])\s+\d{4}(?:\s*"# + yearWord + #")?\s*[-–—−]\s*(?:по\s+)?"# + Russian.monthPattern + #"(?![а-яё])\s+\d{4}(?:\s*"# + yearWord + ")?"),
        // a month with its year, and months listed after it for rounds of the same work (`в декабре 2025 г. и в марте 2026 г.`)
        // (`в марте и в апреле 2026 года`: months listed with the year printed once, after the last)
        Pattern(#"(?<![а-яё])(?:до\s+конца|к\s+концу|в\s+течение|в|до)\s+(?:"# + Russian.monthPattern + #"(?![а-яё])(?:\s*,\s*(?:и\s+)?|\s+и\s+)(?:во?\s+)?)*"# + Russian.monthPattern + #"(?:\s*[-–—−]\s*"# + Russian.monthPattern + #")?(?![а-яё])\s+\d{4}(?:\s*"# + yearWord + ")?"
                + #"(?:(?:\s*[,;]\s*(?:и\s+)?|\s+и\s+)(?:во?\s+)?"# + Russian.monthPattern + #"(?![а-яё])\s+\d{4}(?:\s*"# + yearWord + ")?)*"),
        // a ten-day part of a month, a season: в первой декаде ноября, весной 2026 года
        Pattern(#"(?<![а-яё])(?:в\s+|во\s+)?(?:перв|втор|трет|i{1,3}|[123])[а-яё]*(?:-?[а-яё]{1,2})?\s+декад[а-яё]*\s+"# + Russian.monthPattern + #"(?![а-яё])(?:\s+\d{4}(?:\s*"# + yearWord + #")?)?"#),
        Pattern(#"(?<![а-яё])(?<!ых\s)(?<!ой\s)(?<!ом\s)(?:весной|осенью|зимой|в\s+(?:весенн|осенн|зимн)[а-яё]*\s+период)(?![а-яё])(?:\s+\d{4}(?:\s*"# + yearWord + #")?)?"#),
        // the day of an event right after its verb: провести 25 мая 2026 г. итоговую работу, Провести финал Конкурса 13 декабря 2025 г.
        // (not `провести после 15 декабря`, `не ранее 1 декабря`, `по состоянию на 1 декабря`: a bound or a reference day)
        // (`обеспечить 3 декабря 2025 года получение комплектов …`: the day right after `обеспечить`/`организовать` too.)
        Pattern(#"(?<![а-яё])(?:провести|проведение|обеспечить|организовать)\s+(?:(?!(?:после|не|ранее|позднее|по|на|от|с|со|до|к|за|в|во|между)\s)[а-яё«»"-]+\s+){0,3}?(?:"# + numeric + "|" + textualWithYear + ")"),
        // the day of a meeting named with it: `На совещании 12.02.2026 просим … представить …`, `к заседанию 15 марта 2026 года`
        Pattern(#"(?<![а-яё])(?:на|к|ко)\s+(?:совещани|заседани|семинар|конференци|педсовет|собрани)[а-яё]*\s+(?:[а-яё]+\s+){0,3}?(?:"# + numeric + "|" + textualWithYear + ")"),
        // years
        Pattern(#"(?<![а-яё])(?:в\s+течение|в|до\s+конца|к\s+концу|до|к|не\s+позднее)\s+\d{4}(?![\d.])\s*"# + yearWord),
        // deadlines in words: к Дню знаний, в течение 5 рабочих дней со дня подписания, к новому учебному году, летом
        Pattern(#"(?<![а-яё])(?:(?:к|ко|до)\s+(?:дн[юя]\s+(?:знаний|учителя|победы|защиты\s+детей)|нов(?:ому|ого)\s+году)|(?:в\s+течение|не\s+позднее)\s+(?:\d{1,3}\s+|(?:одного|двух|тр[её]х|пяти|семи|десяти|пятнадцати|тридцати)\s+)?(?:календарн(?:ых|ого)\s+|рабоч(?:их|его)\s+)?(?:дн[а-яё]*|недел[а-яё]*|месяц[а-яё]*|декад[а-яё]*)\s+(?:с|со)\s+(?:дня|даты|момента)\s+(?:(?:его|е[её])\s+)?(?:подписания|утверждения|издания|принятия|опубликования|вступления)|в\s+течение\s+(?:(?:\d{1,3}|одного|двух|тр[её]х|пяти|семи|десяти|пятнадцати|тридцати)\s+(?:календарн(?:ых|ого)\s+|рабоч(?:их|его)\s+)?(?:дн[а-яё]*|недел[а-яё]*|месяц[а-яё]*)|(?:одной\s+)?недели|декады)(?!\s*,?\s*(?:с\s+момента|со\s+дня|с\s+даты|после|по\s+(?:получении|поступлении|окончании|завершении)|от\s+даты)(?![а-яё]))|(?:к|до)\s+(?:началу\s+)?(?:нов|предстоящ|наступающ)[а-яё]+\s+учебн[а-яё]+\s+год[а-яё]*|в\s+(?:предстоящ|наступающ)[а-яё]+\s+учебн[а-яё]+\s+году|в\s+начале\s+(?:нового\s+|следующего\s+)?учебного\s+года|(?:в\s+конце|по\s+итогам|по\s+окончании|по\s+завершении)\s+(?:текущего\s+)?учебного\s+года|летом(?:\s+\d{4}\s*"# + yearWord + #")?|(?<!о\s)(?<!об\s)(?:в\s+)?(?:период|течение|ходе)\s+летн[а-яё]+\s+(?:оздоровительн[а-яё]+\s+кампани[а-яё]*|каникул)(?:\s+\d{4}\s*"# + yearWord + #")?|в\s+летний\s+период(?:\s+\d{4}\s*"# + yearWord + #")?)(?![а-яё])"#),
        // relative to the document
        Pattern(#"(?<![а-яё])(?:в\s+течение\s+(?:всего\s+)?(?:текущего\s+|следующего\s+)?(?:учебного\s+|календарного\s+)?(?:года|месяца|квартала|полугодия)|до\s+конца\s+(?:текущего\s+|этого\s+)?(?:учебного\s+|календарного\s+)?года|к\s+концу\s+(?:текущего\s+)?(?:учебного\s+)?года|в\s+(?:текущем|следующем|новом)\s+учебном\s+году|в\s+текущем\s+году)(?![а-яё])"#),
        // recurrences
        Pattern(#"(?<![а-яё])(?:ежедневно|в\s+течение\s+отопительного\s+(?:периода|сезона)|в\s+течение\s+(?!(?:летн|зимн|осенн|весенн)[а-яё]+\s)[а-яё-]+(?:ого|его)\s+(?:сезона|периода)|еженедельно|по\s+(?:понедельникам|вторникам|средам|четвергам|пятницам|субботам)|ежемесячно|ежеквартально|ежечетвертно|ежегодно|постоянно|систематически|регулярно|на\s+(?:постоянной|регулярной|системной)\s+основе|в\s+постоянном\s+режиме|(?:не\s+(?:реже|чаще)\s+)?(?:(?:одного|двух|трех|трёх|(?<!\d)\d{1,2}+)\s+)?раза?\s+в\s+(?:неделю|месяц|квартал|четверть|полугодие|год)|(?:два|2)\s+раза\s+в\s+год)(?![а-яё])"#),
        // a month without a year: в сентябре, в течение октября, до конца ноября; two as a range: в феврале – марте
        Pattern(#"(?<![а-яё])(?:в\s+течение|во?|до\s+конца|к\s+концу)\s+"# + Russian.monthPattern + #"(?:\s*[-–—]\s*"# + Russian.monthPattern + #")?(?![а-яё])(?!\s*\d)"#),
        // a date or month in parentheses ending the sentence: Заседание № 2 (ноябрь 2025 г.)
        Pattern(inParentheses + #"(?=\s*[.;:]?\s*$)"#),
        // days of one month with the month printed once, ending the sentence: провести Неделю … 19–30.10.2026.
        Pattern(#"(?<![\d.])\d{1,2}\s*-\s*\d{1,2}\.\d{1,2}(?:\.(?:\d{4}|\d{2}))?(?![\d.])(?:\s*(?:г\.?|года)(?![а-яё]))?(?=\s*[.;]?\s*$)"#),
        // the days of an event's rounds, listed at the end of the sentence: … 16.04.2026 и 21.04.2026.
        // (a remark in parentheses may follow: `… 11.03.2026 и 20.04.2026 (основной и дополнительные сроки).`)
        Pattern(#"(?<![\d.])\d{1,2}\.\d{1,2}\.\d{4}(?:\s*(?:[,;]\s*(?:и\s+)?|и\s+)\d{1,2}\.\d{1,2}\.\d{4})+(?![\d])(?=\s*(?:\([^()]{1,60}\))?\s*[.;]?\s*$)"#),
        // the day of an event in words, ending the sentence without its year: провести заседание РМО двадцать девятого октября.
        Pattern(#"(?<![\d.]|от\s|на\s|ом\s|ого\s|ой\s)(?:\d{1,2}|"# + Russian.ordinalDayPattern + #")\s+"# + Russian.monthPattern + #"(?![а-яё])(?="# + circumstances + #"\s*[.;]?\s*$)"#),
        // the day of an event, ending the sentence with its year: провести совещание … 27 августа 2025 года;
        Pattern(#"(?<![\d.])(?:\d{1,2}\.\d{1,2}\.\d{4}(?![\d])(?:\s*(?:г\.?|года)(?![а-яё]))?|\d{1,2}\s+"# + Russian.monthPattern + #"(?![а-яё])\s+\d{4}(?:\s*(?:г\.?|года)(?![а-яё]))?)(?:\s*(?:до|в|к|с)\s+\d{1,2}[.:]\d{2}(?:\s*(?:ч\.?|час[а-яё]*))?)?(?="# + circumstances + #"\s*[.;]?\s*$)"#),
        // a work that recurs, named so at its start: `Ежедневный контроль качества …`, `Ежемесячная сверка …`
        Pattern("^" + recurrenceStem + #"(?:ый|ая|ое|ые|ую|ого|ой)(?![а-яё])"#),
        // … or right after its verb: `обеспечить ежедневный мониторинг …`, `организовать (проведение) ежемесячных совещаний …`
        Pattern(#"^(?:[а-яё]+\s+){0,8}?(?:обеспечить|организовать|осуществлять|осуществить|проводить|вести|установить)\s+(?:"# + recurrenceStem + #"(?:ый|ая|ое|ые|ую|ого|ой)|проведени[ея]\s+"# + recurrenceStem + #"(?:ого|ой|ых))(?![а-яё])"#),
    ]

    /// `до 16.00`, `не позднее 12:00`: an hour alone (minutes no month could be, or after a colon), not a day.
    static let hourAlone = Pattern(#"(?<![а-яё])(?:до|не\s+позднее)\s+(?:[01]?\d|2[0-3])(?::[0-5]\d|\.(?:00|1[3-9]|[2-5]\d))(?:\s*(?:ч\.?|час[а-яё]*))?(?![\d.]\d)(?!\s*\d{1,2}\.\d)"#)

    /// What may follow an event's day at the end of its sentence (spec §4, *the day of an event*): its hour
    /// (`в 15:00`), its form (`в режиме ВКС`, `в онлайн-формате`, `дистанционно`) or its place (`на базе МБОУ «СОШ № 3»`).
    /// (After the hour, its place: `в 14.00 в актовом зале Управления образования`, `в 15.00 в ИОЦ (ул. Ярославская, д. 8)`.)
    private static let circumstances = #"(?:\s*,?\s*(?:(?:в|с)\s+\d{1,2}[.:]\d{2}(?:\s*(?:ч\.?|час[а-яё]*))?(?:\s*(?:до|-|–|—)\s*\d{1,2}[.:]\d{2})?(?:\s*,?\s+(?:в|во|на|по\s+адресу:?)\s+[^;]{2,80}?)?|в\s+режиме\s+[^.;]{1,60}?|в\s+(?:онлайн|офлайн|очном|заочном|дистанционном|смешанном|очно-заочном|гибридном)(?:\s*-\s*|\s+)формате|в\s+формате\s+[^.;]{1,40}?|дистанционно|очно|онлайн|на\s+базе\s+[^.;]{1,80}?|в\s+соответствии\s+с\s+[^.;]{1,160}?|\([^()]{1,120}\)))*"#

    /// Whether `text` ends with a deadline in parentheses (`Заседание № 1 (28 августа 2025 г.)`): a group
    /// row of a plan table that dates the rows under it.
    static func endsWithDeadline(_ text: String) -> Bool {
        guard let m = endingInParentheses.firstMatch(in: Russian.maskQuoted(text)) else { return false }
        return parse(m.text, reference: nil) != nil
    }
    private static let endingInParentheses = Pattern(inParentheses + #"\s*$"#)

    /// `незамедлительно`: the document's date for a one-off action, a standing duty for one that arises
    /// with each case (spec §4, "At once").
    static let immediately = Pattern(#"(?<![а-яё])(?:незамедлительн[а-яё]*|немедленн[а-яё]*|безотлагательн[а-яё]*)(?![а-яё])"#)
    /// The task's words name a duty that arises with each case (`о каждом случае травматизма`, `при выявлении …`).
    static func arisesWithEachCase(_ text: String) -> Bool { eachCase.matches(Russian.fold(Russian.maskQuoted(text))) }
    private static let eachCase = Pattern(#"(?:^\s*при\s+[а-яё]+|(?<![а-яё])(?:(?:о|обо)\s+(?:каждом|всех|выявленных)\s+(?:[а-яё]+\s+){0,2}(?:случа|факт|происшестви|инцидент)[а-яё]*|о\s+фактах|о\s+(?:несчастн[а-яё]*\s+)?случаях|о\s+(?:чрезвычайн[а-яё]+\s+)?происшестви[а-яё]*|о\s+травм[а-яё]*|о\s+(?:самовольн[а-яё]+\s+)?уход[а-яё]*|о\s+(?:возникновении\s+)?чрезвычайн[а-яё]+\s+ситуаци|в\s+случае|в\s+случаях|при\s+(?:выявлении|возникновении|поступлении|получении|установлении)|по\s+мере)(?![а-яё]))"#)

    /// `в двухнедельный срок`: a term counted from the document (spec §4); from an event it does not
    /// date (`… с момента поступления запроса`), no deadline.
    /// `сегодня до 16:00`, `завтра к 10:00`, `до конца недели`, `до конца месяца` (spec §4, *relative days*).
    /// A bare `сегодня` counts only opening its clause (`Сегодня прошу …`, `Коллеги, завтра …`) or with an hour: `который
    /// сегодня составляет 68%` is narrative. `до конца месяца, следующего за отчётным кварталом` is a report round.
    private static let weekdays = ["понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень"]
    static let relativeDay = Pattern(#"(?:(?<![а-яё])(сегодня|завтра|послезавтра)\s+(?:до|к)\s+\d{1,2}[:.]\d{2}|(?:^|(?<=[,.:;!—–-])\s*)(сегодня|завтра|послезавтра)(?![а-яё])|(?<![а-яё])(?:до|к)\s+(?:конца|концу)\s+(?:этой\s+|текущей\s+|текущего\s+)?(недели|месяца)(?![а-яё])(?!,?\s*следующ)|(?<![а-яё])(?:в\s+срок\s+)?(?:до|к|ко)\s+(понедельник|вторник|сред|четверг|пятниц|суббот|воскресень)[а-яё]*(?![а-яё])(?!\s+\d)|(?<![а-яё])во?\s+(понедельник|вторник|сред|четверг|пятниц|суббот|воскресень)[а-яё]*(?=\s+(?:до|к)\s+\d{1,2}[:.]\d{2}))"#)
    static let term = Pattern(#"(?<![а-яё])в\s+(?:установленный\s+(?:законом\s+)?)?(?:(одно|двух|тр[её]х|пяти|семи|десяти|пятнадцати)|(\d{1,3})\s*-\s*)?(дневный|недельный|месячный)\s+срок(?![а-яё])"#)
    private static let fromAnEvent = Pattern(#"^\s*,?\s*(?:с\s+момента|со\s+дня|с\s+даты|после|по\s+(?:получении|поступлении))(?![а-яё])"#)
    /// `… со дня подписания настоящего приказа`: counted from the document after all.
    private static let fromTheDocument = Pattern(#"^\s*,?\s*(?:с|со)\s+(?:дня|даты|момента)\s+(?:(?:его|е[её])\s+)?(?:подписания|утверждения|издания|принятия|опубликования|вступления)(?![а-яё])"#)

    /// The deadline of a term phrase at `m` of `masked`, if it is counted from the document.
    static func termDeadline(_ m: Pattern.Match, in masked: String, reference: Day?) -> Deadline? {
        let after = String(masked[m.range.upperBound...].prefix(40))
        guard let reference, !fromAnEvent.matches(after) || fromTheDocument.matches(after) else { return nil }
        let numbers = ["одно": 1, "двух": 2, "трех": 3, "трёх": 3, "пяти": 5, "семи": 7, "десяти": 10, "пятнадцати": 15]
        let count = numbers[m.group(1)?.lowercased() ?? ""] ?? m.group(2).flatMap { Int($0) } ?? 1
        switch m.group(3)?.lowercased() {
        case "дневный": return .date(reference.adding(days: count).iso)
        case "недельный": return .date(reference.adding(days: 7 * count).iso)
        case "месячный": return .date(reference.adding(months: count).iso)
        default: return nil
        }
    }

    /// A recurrence right before a date (`Ежегодно, до 1 октября`): the date is the day of each round.
    private static let recurrenceBefore = Pattern(#"(?<![а-яё])(?:еженедельно|ежемесячно|ежеквартально|ежегодно)\s*,?\s*$"#)

    /// Words just before a phrase that make it a horizon or a name, not a deadline (`на период до 2030 года`).
    private static let horizon = Pattern(#"(?:(?<!в\s)период|перспектив[а-яё]*|(?<![а-яё])от|№|стратеги[а-яё]*)\s*$"#)

    /// The start of a further stage: `до 1 декабря`, `к 01.12.2021`.
    static let stageStart = Pattern(#"^\s*(?:до|к|не\s+позднее)\s+(?:\d{1,2}[\s.]|конц[уа]\s+\d{4})"#)

    static let stageWindow = 600
    static let maxPhrasesPerPattern = 64

    /// `до 1 декабря 2021 года — 50% обучающихся, до 1 июня 2022 года — 80%` from `start` to the end of the
    /// clause: staged when every stage has a numeric target.
    static func stagedTargets(in masked: String, from start: String.Index, reference: Day?) -> DeadlineText? {
        // A clause of stages is a few dates long: looking further than `stageWindow` characters would make a
        // paragraph of many dates cost the square of its length (one look per date).
        var tail = String(masked[start...].prefix(stageWindow))
        // The clause ends at a `;` that no further stage follows (`до 1 ноября — 65%; до 1 декабря — 80%` is one clause).
        var from = tail.startIndex
        while let semicolon = tail[from...].firstIndex(of: ";") {
            let next = tail[tail.index(after: semicolon)...]
            if stageStart.matches(String(next.prefix(40))) { from = tail.index(after: semicolon); continue }
            tail = String(tail[..<semicolon])
            break
        }
        tail = tail.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        guard case .staged(let stages)? = parse(tail, reference: reference), stages.count >= 2,
              stages.allSatisfy({ $0.target.contains(where: \.isNumber) || $0.target.contains("%") }) else { return nil }
        return DeadlineText(raw: tail, deadline: .staged(stages))
    }

    /// Words that name another document (`программы`, `Стратегии`, `плана мероприятий`): years right after
    /// them belong to the name.
    private static let documentNoun = Pattern(#"^(?:программ|план|стратеги|концепци|проект|дорожн|указ|закон|постановлени|распоряжени|приказ|паспорт|доктрин|прогноз|модел)"#)
    /// A phrase of years only that a document's name carries: a horizon (`до 2030 года`) or a range of years
    /// (`в 2021-2025 годах`, `на 2020-2025 годы`).
    private static let nameYears = Pattern(#"^(?:(?:до|к)\s+\d{4}(?!\d)|(?:в|на|до\s+конца)?\s*\d{4}\s*[-–—−]\s*\d{4}\s*(?:гг|годы|годах|годов|год(?![а-яё])))"#)

    /// The words right before `index`, nearest first: at most eight, back to a punctuation mark of a clause's end
    /// (`,;:.!?`). With `keepingDigits`, a number is a word; else it only parts words.
    static func wordsBefore(_ masked: String, _ index: String.Index, keepingDigits: Bool) -> [String] {
        var words: [String] = []
        var current = ""
        for ch in masked[..<index].suffix(120).reversed() {
            if ch.isLetter || ch == "-" || keepingDigits && ch.isNumber { current.append(ch); continue }
            if !current.isEmpty { words.append(String(current.reversed())); current = "" }
            if ",;:.!?".contains(ch) || words.count >= 8 { break }
        }
        if !current.isEmpty && words.count < 8 { words.append(String(current.reversed())) }
        return Array(words.prefix(8))
    }

    /// True when the phrase at `range` is part of another document's name: a year horizon or a range of
    /// years, after a document noun in the same phrase (no punctuation, number or infinitive between).
    static func isPartOfName(_ masked: String, _ range: Range<String.Index>) -> Bool {
        let phrase = Russian.fold(String(masked[range])).trimmingCharacters(in: .whitespaces)
        guard nameYears.matches(phrase) else { return false }
        for w in wordsBefore(masked, range.lowerBound, keepingDigits: true) {
            if w.contains(where: \.isNumber) || Russian.isInfinitive(w) { return false }
            if documentNoun.matches(Russian.fold(w)) { return true }
        }
        return false
    }

    private static let inTime = Pattern(#"^(?:в|во|на|с|со)\s+(?!течени|срок|период)"#)
    private static let considered = Pattern(#"^возможност[ьи]$"#)

    /// `рассмотреть возможность открытия в 2026/2027 учебном году …`: a time in `в`/`на` after the possibility considered (at most eight words back, no punctuation or infinitive between) is
    /// when it would happen, not a deadline (spec §4).
    static func datesTheConsidered(_ masked: String, _ range: Range<String.Index>) -> Bool {
        guard inTime.matches(Russian.fold(String(masked[range])).trimmingCharacters(in: .whitespaces)) else { return false }
        let words = wordsBefore(masked, range.lowerBound, keepingDigits: false)
        for (i, w) in words.enumerated() {
            let folded = Russian.fold(w)
            if Russian.isInfinitive(folded) || meetingWord.matches(folded) { return false }
            // (`рассмотреть возможность …`, `изучить возможность …`; not `обеспечить возможность …`, which is the work itself,
            // nor `по возможности`, `при возможности`.)
            if considered.matches(folded) { return i + 1 < words.count && consideringVerb.matches(Russian.fold(words[i + 1])) }
        }
        return false
    }
    private static let consideringVerb = Pattern(#"^(?:рассмотреть|изучить|проработать|обсудить|проанализировать)$"#)
    private static let meetingWord = Pattern(#"^(?:совет[еа]?|заседани[иея]|совещани[иея]|собрани[иея]|педсовет[еа]?)$"#)

    /// Only `, ` between an event clause's days and the phrase, and an infinitive among the two words after it.
    /// (An addressee may stand between: `…, которая пройдёт 20 февраля 2026 года, руководителям ОО в срок до 1 февраля 2026
    /// года представить …`; not a gerund, `зарегистрировавшись до …`.)
    private static func ownAfterClause(_ masked: String, _ clauseEnd: String.Index, _ range: Range<String.Index>) -> Bool {
        let between = masked[clauseEnd..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        guard between.hasPrefix(",") else { return false }
        let words = Russian.words(between)
        guard words.count <= 8, words.allSatisfy({ !gerund.matches(Russian.fold($0)) && !Russian.isInfinitive($0) }),
              words.isEmpty || Addressees.isDativeHead(words[0]) else { return false }
        return Russian.words(masked[range.upperBound...].prefix(60)).prefix(2).contains { Russian.isInfinitive($0) }
    }
    private static let gerund = Pattern(#"(?:вшись|вши|ясь)$"#)

    /// `…, который пройдёт `, `…, которое состоится `, `…, которые будут проходить в г. Кызыле `: a clause about an event.
    private static let eventClauseBefore = Pattern(#"(?<![а-яё])котор[а-яё]*\s+(?:(?:пройд[её]т|пройдут|состоится|состоятся|будет\s+проходить|будут\s+проходить|проводится|проводятся|проходит|проходят)\s+(?:[а-яё.]+\s+){0,3})?$"#)

    /// `Представить отчёт за IV квартал 2025 года к 15 числу месяца, следующего за отчётным кварталом`: one report, due that
    /// day of the month after the period it names, not a round.
    static func oneReport(_ raw: String, in sentence: String) -> Deadline? {
        let phrase = Russian.fold(raw)
        let told = Russian.fold(sentence)
        guard phrase.contains("следующ"), !["ежемесячн", "ежеквартальн", "ежегодн", "каждого", "кажд"].contains(where: told.contains),
              let n = reportDay.firstMatch(in: phrase)?.group(1).flatMap({ Int($0) }),
              let m = reportedPeriod.firstMatch(in: told), let year = m.group(3).flatMap({ Int($0) }) else { return nil }
        let lastMonth: Int
        if let q = m.group(1).flatMap({ ordinal($0, max: 4) }) { lastMonth = q * 3 }
        else if let h = m.group(2).flatMap({ ordinal($0, max: 2) }) { lastMonth = h * 6 }
        else { lastMonth = 12 }
        let (y, mo) = lastMonth == 12 ? (year + 1, 1) : (year, lastMonth + 1)
        return Day.valid(y, mo, n).map { .date($0.iso) }
    }
    private static let reportDay = Pattern(#"(\d{1,2})(?:-?го|-?му)?\s+числ"#)
    /// `за IV квартал 2025 года`, `за I полугодие 2026 г.`, `за 2025 год`: group 1 a quarter, 2 a half, 3 the year.
    private static let reportedPeriod = Pattern(#"(?<![а-я])за\s+(?:(iv|i{1,3}|[1-4])\s*(?:-?й\s+)?квартал\s+|(ii|i|[12])\s*(?:-?е\s+)?полугодие\s+)?((?:19|20)\d{2})\s*(?:г\.?|год[а]?)?(?![\d/])"#)

    /// A stage's target before its date: `до 44 % – к 1 сентября 2026 г.` (group 1 the target, group 2 the date with its
    /// `к`).
    /// (A year's end is a stage's date too: `60 % – к концу 2026 года`.)
    private static let targetFirstStage = #"((?:до|не\s+менее|не\s+ниже)?\s*\d{1,3}(?:[.,]\d{1,2})?\s*%)\s*"# + dash + #"\s*((?:к|до|не\s+позднее)\s+(?:"# + date + #"|конц[уа]\s+\d{4}\s*(?:г\.?|года)?))"#
    private static let targetFirstStages = Pattern(targetFirstStage + #"(?:\s*[,;]\s*"# + targetFirstStage + ")+")
    private static let oneTargetFirstStage = Pattern(targetFirstStage)

    /// `до 44 % – к 1 сентября 2026 г., до 47 % – к 1 сентября 2027 г.`: stages written with their targets first.
    static func targetsFirst(in masked: String, reference: Day?) -> (DeadlineText, Range<String.Index>)? {
        guard let m = targetFirstStages.firstMatch(in: masked) else { return nil }
        var stages: [Stage] = []
        for piece in oneTargetFirstStage.matches(in: m.text) {
            guard let target = piece.group(1), let raw = piece.group(2), case .date(let day)? = parse(raw, reference: reference) else { return nil }
            stages.append(Stage(date: day, target: target.trimmingCharacters(in: .whitespaces)))
        }
        guard stages.count >= 2 else { return nil }
        return (DeadlineText(raw: m.text.trimmingCharacters(in: .whitespaces), deadline: .staged(stages)), m.range)
    }

    /// The task's deadline phrase: the strongest phrase that is not part of a document's name (spec §4).
    /// Staged targets count only when no other deadline phrase stands outside them.
    /// `(вместо 12–14 ноября)`, `– вместо 10.11.2025`: a time replaced, no deadline.
    private static let replaced = Pattern(#"(?<![а-яё])вместо\s+[^,;.()]{0,12}?\d[^;()]{0,30}"#)

    static func find(in sentence: String, reference: Day?) -> DeadlineText? {
        var masked = Russian.maskQuoted(sentence)
        if masked.contains("вместо") || masked.contains("Вместо") {
            let folded = Russian.fold(masked)
            if folded.count == masked.count {
                var chars = Array(masked)
                for m in replaced.matches(in: folded) {
                    let a = folded.distance(from: folded.startIndex, to: m.range.lowerBound), b = folded.distance(from: folded.startIndex, to: m.range.upperBound)
                    for k in a..<b { chars[k] = " " }
                }
                masked = String(chars)
            }
        }
        var staged: (DeadlineText, Range<String.Index>)? = targetsFirst(in: masked, reference: reference)
        // `направить до 2 марта 2026 г. заявки на участие в этапе, который пройдёт с 23 по 27 марта 2026 г.`: the days of the
        // event a clause describes give way to the task's own; they are its deadline only when it has none.
        var eventClause: (text: DeadlineText, at: String.Index, end: String.Index)?
        for pattern in phrases {
            // A sentence names a few deadlines; a paragraph of thousands of dates is read no further than that.
            for m in pattern.matches(in: masked).prefix(maxPhrasesPerPattern) {
                let before = masked[..<m.range.lowerBound].suffix(30)
                if horizon.matches(String(before)) { continue }
                let after = masked[m.range.upperBound...].prefix(6)
                if after.contains("№") { continue }
                if isPartOfName(masked, m.range) || datesTheConsidered(masked, m.range) { continue }
                if let s = staged, s.1.overlaps(m.range) { continue }
                var raw = m.text.trimmingCharacters(in: .whitespaces)
                let lead = masked[..<m.range.lowerBound].suffix(24)
                if let r = recurrenceBefore.firstMatch(in: String(lead)) {
                    raw = (r.text + m.text).trimmingCharacters(in: .whitespaces)
                }
                // A stage has its target after a dash or colon (`до 1 ноября — 65%`).
                if staged == nil, masked[m.range.upperBound...].prefix(4).contains(where: { "-–—−:".contains($0) }),
                   let found = stagedTargets(in: masked, from: m.range.lowerBound, reference: reference) {
                    let end = masked.index(m.range.lowerBound, offsetBy: found.raw.count, limitedBy: masked.endIndex) ?? masked.endIndex
                    staged = (found, m.range.lowerBound..<max(end, m.range.upperBound))
                    continue
                }
                if let d = parse(raw, reference: reference) {
                    // `нарушения, выявленные в 2024 году` in a decision of June 2025: the past, not a deadline.
                    if let reference, let due = d.dueDate, let day = Day(iso: due), day < reference { continue }
                    if eventClauseBefore.matches(String(masked[..<m.range.lowerBound].suffix(40))) {
                        if eventClause == nil { eventClause = (DeadlineText(raw: raw, deadline: d), m.range.lowerBound, m.range.upperBound) }
                        continue
                    }
                    // (Only a deadline printed before the clause is the task's own: `…, который состоится 12.12.2025,
                    // зарегистрировавшись до 10.12.2025` is about the event.)
                    // (`…, который состоится 12 марта 2026 года, до 5 марта направить заявки`: right after the clause's comma
                    // and before a directive, the task's own.)
                    if let e = eventClause, m.range.lowerBound > e.at, !(e.end <= m.range.lowerBound && ownAfterClause(masked, e.end, m.range)) { continue }
                    if case .recurring = d, let one = oneReport(raw, in: masked) { return DeadlineText(raw: raw, deadline: one) }
                    return DeadlineText(raw: raw, deadline: d)
                }
            }
        }
        if let found = staged?.0 { return found }
        if let eventClause { return eventClause.text }

        // Weaker than any dated phrase: days named from the document's (a chat message's) day.
        if let reference, let m = relativeDay.firstMatch(in: masked) {
            let word = Russian.fold(m.group(1) ?? m.group(2) ?? m.group(3) ?? m.group(4) ?? m.group(5) ?? "")
            let day: Day
            switch word {
            case "завтра": day = reference.adding(days: 1)
            case "послезавтра": day = reference.adding(days: 2)
            // The week's Friday; on a Saturday or Sunday, that Sunday.
            case "недели": day = reference.adding(days: reference.weekday <= 4 ? 4 - reference.weekday : 6 - reference.weekday)
            case "месяца": day = Day.endOfMonth(reference.year, reference.month)
            // `до пятницы`, `в понедельник до 12:00`: the next such weekday after the day it is said.
            case let weekday where weekdays.contains(weekday):
                let target = weekdays.firstIndex(of: weekday)!
                let ahead = (target - reference.weekday + 7) % 7
                day = reference.adding(days: ahead == 0 ? 7 : ahead)
            default: day = reference
            }
            return DeadlineText(raw: m.text.trimmingCharacters(in: .whitespaces), deadline: .date(day.iso))
        }
        // Weaker still: a term counted from the document, then `незамедлительно`.
        if let m = term.firstMatch(in: masked), let d = termDeadline(m, in: masked, reference: reference) {
            return DeadlineText(raw: m.text.trimmingCharacters(in: .whitespaces), deadline: d)
        }
        if let m = immediately.firstMatch(in: masked) {
            if eachCase.matches(masked) { return DeadlineText(raw: m.text, deadline: .recurring(every: "continuous")) }
            if let reference { return DeadlineText(raw: m.text, deadline: .date(reference.iso)) }
        }
        return nil
    }
}
