// Which optional columns the resources table shows: kept while the user visits other screens and
// fabrics (one table layout for the whole app), not across restarts.
export const columns = $state({ file: false });
