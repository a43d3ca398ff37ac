/* The search page: Pagefind's interface over the index built with the site, with the
   query taken from ?q= so the header search box works from any page. */
(function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: {
      placeholder: "Что вы ищете?",
      clear_search: "Очистить",
      load_more: "Показать ещё",
      search_label: "Поиск по сайту",
      filters_label: "Уточнить",
      zero_results: "По запросу «[SEARCH_TERM]» ничего не найдено",
      many_results: "Найдено: [COUNT] по запросу «[SEARCH_TERM]»",
      one_result: "Найден [COUNT] результат по запросу «[SEARCH_TERM]»",
      alt_search: "По запросу «[SEARCH_TERM]» ничего не найдено. Показаны результаты по запросу «[DIFFERENT_TERM]»",
      search_suggestion: "Попробуйте другой запрос",
      searching: "Ищем «[SEARCH_TERM]»…"
    }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
